using EmergencyCommand.Server.Platform;
using EmergencyCommand.Server.Tests.Infrastructure;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>
/// A projection is fed only the facts it names, selected in SQL: otherwise a rebuild (and an async shard) reads and
/// deserialises the whole log to find them. Only the audit chain and the decision log read every event, on purpose.
/// </summary>
public sealed class ProjectionFilterTests(AppFixture fixture) : ServerTest(fixture)
{
    private static readonly string[] ReadEveryEvent = ["AuditChain", "DecisionLog"];

    [Fact]
    public void Every_projection_but_the_chain_and_the_decision_log_names_the_concrete_facts_it_takes()
    {
        var store = (DocumentStore)Fixture.Host.Services.GetRequiredService<IDocumentStore>();
        var projections = store.Options.Projections.All.Cast<ProjectionBase>().ToList();

        projections.Select(p => p.Name).Should().Contain(ReadEveryEvent).And.Contain(["Depot", "Incident", "EscalationProjection", "PassAdmissionProjection"]);
        projections.Where(p => !ReadEveryEvent.Contains(p.Name) && !p.FiltersInSql()).Select(p => p.Name).Should().BeEmpty();
    }

    [Fact]
    public void A_marker_interface_is_not_a_filter_Marten_can_apply_in_SQL()
    {
        var byInterface = new Probe();
        byInterface.IncludeType<Domain.Supplies.IDepotEvent>();
        byInterface.FiltersInSql().Should().BeFalse();
        new Probe().FiltersInSql().Should().BeFalse("a projection that names nothing is fed everything");

        var byFacts = new Probe();
        byFacts.IncludeFactsOf<Domain.Supplies.IDepotEvent>();
        byFacts.FiltersInSql().Should().BeTrue();
        byFacts.IncludedEventTypes.Should().Contain([typeof(Domain.Supplies.DepotRegistered), typeof(Domain.Supplies.StockReceived), typeof(Domain.Supplies.StockReserved)])
            .And.OnlyContain(t => typeof(Domain.Supplies.IDepotEvent).IsAssignableFrom(t));
    }

    private sealed class Probe : EventFilterable;
}
