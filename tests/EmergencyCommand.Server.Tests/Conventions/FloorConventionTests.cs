using System.Text.RegularExpressions;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>
/// The platform floor imports no feature, and every fact a feature records is registered by its module and handled or
/// declared irrelevant by each reader of the whole log (the board, the review and decision log, the timers).
/// </summary>
public sealed class FloorConventionTests
{
    private static readonly Modules Modules = new(ServerSetup.Features);

    private static string Repository
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EmergencyCommand.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("The tests run inside a clone of the repository.");
        }
    }

    /// <summary>Every namespace of a feature that a file mentions, by <c>using</c> or by a qualified name.</summary>
    private static IEnumerable<string> FeaturesMentioned(string file, string floor) =>
        Regex.Matches(File.ReadAllText(file), @"EmergencyCommand\.(Server|Domain)\.(\w+)")
            .Select(m => m.Value)
            .Where(ns => ns is not ("EmergencyCommand.Server.Platform" or "EmergencyCommand.Domain.Shared") && ns != floor);

    [Theory]
    [InlineData("src/EmergencyCommand.Server/Platform", "EmergencyCommand.Server.Platform")]
    [InlineData("src/EmergencyCommand.Domain/Shared", "EmergencyCommand.Domain.Shared")]
    public void No_file_of_the_floor_imports_a_feature(string folder, string floor)
    {
        var files = Directory.GetFiles(Path.Combine(Repository, folder), "*.cs", SearchOption.AllDirectories);
        files.Should().NotBeEmpty();
        var imports = files.SelectMany(f => FeaturesMentioned(f, floor).Select(ns => $"{Path.GetRelativePath(Repository, f)} → {ns}")).Distinct();
        imports.Should().BeEmpty("the floor must work whatever features stand on it");
    }

    [Fact]
    public void The_floor_check_sees_a_feature_import()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "using EmergencyCommand.Server.Incidents;\nvar x = EmergencyCommand.Domain.Supplies.Priority.High;");
        try
        {
            FeaturesMentioned(file, "EmergencyCommand.Server.Platform").Should().Equal("EmergencyCommand.Server.Incidents", "EmergencyCommand.Domain.Supplies");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static readonly Type[] Facts = typeof(IDomainEvent).Assembly.GetTypes()
        .Where(t => typeof(IDomainEvent).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false }).ToArray();

    [Fact]
    public void Every_fact_is_registered_by_exactly_one_module()
    {
        Facts.Should().HaveCountGreaterThan(30, "the scan finds the domain's facts");
        var registered = Modules.Registered.SelectMany(m => m.EventTypes.Select(t => (Type: t, Module: m.Name))).ToList();
        registered.GroupBy(r => r.Type).Where(g => g.Count() > 1).Select(g => $"{g.Key.Name}: {string.Join(", ", g.Select(r => r.Module))}")
            .Should().BeEmpty("a fact belongs to one feature");
        Facts.Except(registered.Select(r => r.Type)).Select(t => t.Name).Should().BeEmpty("a fact no module registers is unknown to the store");
    }

    [Fact]
    public void The_board_folds_or_declares_irrelevant_every_fact()
    {
        var neither = Facts.Where(t => !SituationState.Folds(t) && !SituationState.Ignores(t)).Select(t => t.Name);
        var both = Facts.Where(t => SituationState.Folds(t) && SituationState.Ignores(t)).Select(t => t.Name);
        neither.Should().BeEmpty("the cockpit must not drop a kind of fact silently");
        both.Should().BeEmpty("a fact is either on the board or not");
    }

    [Fact]
    public void Reviews_and_the_decision_log_tell_every_fact()
    {
        Facts.Where(t => !Modules.Narrative.Tells(t)).Select(t => t.Name).Should().BeEmpty();
    }

    [Fact]
    public void Every_timer_is_set_by_a_fact_of_its_own_module_and_has_a_handler()
    {
        foreach (var module in Modules.Registered)
        foreach (var (eventType, timer) in module.Timers)
        {
            module.EventTypes.Should().Contain(eventType, $"{module.Name} sets timers only for its own facts");
            var message = timer(System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(eventType)).Single().Message.GetType();
            typeof(ServerSetup).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
                .Where(m => m.Name == "Handle" && m.GetParameters().FirstOrDefault()?.ParameterType == message)
                .Should().ContainSingle($"{message.Name} is handled once when its time comes");
        }
        Modules.Registered.SelectMany(m => m.Timers.Keys).Should().NotBeEmpty();
    }
}

/// <summary>
/// An inline projection that does not name its events would load its document for every stream every command touches;
/// one that names an interface would read the whole log in a rebuild (Marten filters in SQL only by concrete types).
/// </summary>
public sealed class InlineProjectionConventionTests
{
    private sealed partial class Unfiltered : Marten.Events.Aggregation.SingleStreamProjection<Tally, Guid>
    {
        public override Tally? Evolve(Tally? snapshot, Guid id, JasperFx.Events.IEvent e) => snapshot;
    }

    private sealed partial class ByMarker : Marten.Events.Aggregation.SingleStreamProjection<Tally, Guid>
    {
        public ByMarker() => IncludeType<EmergencyCommand.Domain.Supplies.IDepotEvent>();

        public override Tally? Evolve(Tally? snapshot, Guid id, JasperFx.Events.IEvent e) => snapshot;
    }

    private sealed partial class ByFacts : Marten.Events.Aggregation.SingleStreamProjection<Tally, Guid>
    {
        public ByFacts() => this.IncludeFactsOf<EmergencyCommand.Domain.Supplies.IDepotEvent>();

        public override Tally? Evolve(Tally? snapshot, Guid id, JasperFx.Events.IEvent e) => snapshot;
    }

    private sealed record Tally(Guid Id);

    private sealed class Probe : IModule
    {
        public void Register(ModuleBuilder module) { }
    }

    [Fact]
    public void A_module_refuses_an_inline_projection_that_does_not_name_the_concrete_facts_it_takes()
    {
        var module = new ModuleBuilder(new Probe());
        module.Invoking(m => m.Inline<Unfiltered>()).Should().Throw<InvalidOperationException>().WithMessage("*Unfiltered must name the concrete facts it takes*");
        module.Invoking(m => m.Inline<ByMarker>()).Should().Throw<InvalidOperationException>().WithMessage("*ByMarker must name the concrete facts it takes*");
        module.Invoking(m => m.Inline<ByFacts>()).Should().NotThrow();
    }
}
