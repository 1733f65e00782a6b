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

    /// <summary>
    /// A per-stream projection gets every fact a module registers under its stream's marker, wherever that fact is
    /// declared (<see cref="EventFilters.IncludeFactsOf{TMarker}"/> looks in the marker's assembly).
    /// </summary>
    [Fact]
    public void A_per_stream_projection_takes_every_registered_fact_of_its_stream()
    {
        var store = (DocumentStore)Fixture.Host.Services.GetRequiredService<IDocumentStore>();
        var facts = new Modules(ServerSetup.Features).EventTypes.ToList();
        var markers = facts.SelectMany(f => f.GetInterfaces()).Where(i => i != typeof(Domain.Shared.IDomainEvent) && typeof(Domain.Shared.IDomainEvent).IsAssignableFrom(i))
            .Distinct().ToList();
        markers.Should().Contain(typeof(Domain.Incidents.IIncidentEvent));

        var missing =
            from projection in store.Options.Projections.All.Cast<ProjectionBase>().Where(PerStream)
            from marker in markers
            where projection.IncludedEventTypes.Any(marker.IsAssignableFrom)
            from fact in facts
            where marker.IsAssignableFrom(fact) && !projection.IncludedEventTypes.Contains(fact)
            select $"{projection.Name} takes {marker.Name} facts but not {fact.Name}";
        missing.Should().BeEmpty();
        store.Options.Projections.All.Cast<ProjectionBase>().Where(PerStream).Select(p => p.Name).Should().Contain(["Incident", "Depot", "SupplyNeed"]);
    }

    private static bool PerStream(ProjectionBase projection)
    {
        for (var type = projection.GetType(); type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Marten.Events.Aggregation.SingleStreamProjection<,>)) return true;
        return false;
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
