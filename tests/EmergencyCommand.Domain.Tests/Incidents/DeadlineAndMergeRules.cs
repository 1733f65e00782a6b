using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Incidents;

public sealed class DeadlineAndMergeRules
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();
    private static readonly Guid TaskId = Guid.NewGuid();
    private static readonly Instant T0 = Instant.FromUtc(2020, 1, 25, 0, 0);
    private static readonly Instant Due = T0 + Duration.FromHours(6);

    private static IncidentReported Reported(Guid id) => new(id, IncidentCategory.PublicHealth, "t", "", "420102", new GeoPoint(30, 114), T0, ReportSource.Hotline, T0);
    private static IncidentVerified Verified(Guid id) => new(id, "ok", T0);
    private static readonly TaskDispatched Dispatched = new(Id, TaskId, "CDC", "trace", Due, T0);

    private static Incident Given(params object[] events) => Incident.Replay(events)!;

    [Fact]
    public void A_task_still_only_dispatched_at_its_deadline_becomes_overdue_and_names_the_commander()
    {
        var decision = IncidentDecisions.MarkOverdue(Given(Reported(Id), Verified(Id), Dispatched), TaskId, "wuhan", Due);
        decision.Events.Should().Equal(new TaskBecameOverdue(Id, TaskId, Due, "wuhan", Due));
        Incident.Evolve(Given(Reported(Id), Verified(Id), Dispatched), decision.Events[0])!.Task(TaskId)!.Status.Should().Be(ResponseTaskStatus.Overdue);
    }

    [Fact]
    public void Acknowledging_or_completing_in_time_cancels_the_escalation_and_a_second_firing_changes_nothing()
    {
        IncidentDecisions.MarkOverdue(Given(Reported(Id), Verified(Id), Dispatched, new TaskAcknowledged(Id, TaskId, T0)), TaskId, "wuhan", Due).Events.Should().BeEmpty();
        IncidentDecisions.MarkOverdue(Given(Reported(Id), Verified(Id), Dispatched, new TaskCompleted(Id, TaskId, "done", T0)), TaskId, "wuhan", Due).Events.Should().BeEmpty();
        var overdue = Given(Reported(Id), Verified(Id), Dispatched, new TaskBecameOverdue(Id, TaskId, Due, "wuhan", Due));
        IncidentDecisions.MarkOverdue(overdue, TaskId, "wuhan", Due + Duration.FromSeconds(5)).Events.Should().BeEmpty();
        IncidentDecisions.MarkOverdue(Given(Reported(Id), Verified(Id), Dispatched), TaskId, "wuhan", Due - Duration.FromSeconds(1)).Events.Should().BeEmpty("not yet due");
    }

    [Fact]
    public void A_request_not_fully_allocated_at_needed_by_is_flagged_once()
    {
        var requestId = Guid.NewGuid();
        var request = SupplyRequest.Replay([new SupplyRequested(requestId, "Jinyintan", "420105", Priority.Critical, [new SupplyLine("N95", 100)], Due, T0)])!;
        var flagged = SupplyDecisions.MarkOverdue(request, "wuhan", Due).Events.Single().Should().BeOfType<SupplyRequestOverdue>().Subject;
        flagged.Outstanding.Should().Equal(new SupplyLine("N95", 100));
        SupplyDecisions.MarkOverdue(SupplyRequest.Evolve(request, flagged)!, "wuhan", Due).Events.Should().BeEmpty();

        var served = SupplyRequest.Evolve(request, new SuppliesAllocated(requestId, Guid.NewGuid(), Guid.NewGuid(), [new SupplyLine("N95", 100)], "r", [], false, T0))!;
        SupplyDecisions.MarkOverdue(served, "wuhan", Due).Events.Should().BeEmpty();
    }

    [Fact]
    public void A_duplicate_merges_into_an_open_incident_and_then_takes_no_commands()
    {
        var duplicate = Given(Reported(Id));
        var survivor = Given(Reported(Other), Verified(Other));
        var decision = IncidentDecisions.Merge(duplicate, survivor, "same market cluster", T0);
        decision.Events.Should().Equal(new IncidentMerged(Id, Other, "same market cluster", T0), new DuplicateAbsorbed(Other, Id, "same market cluster", T0));

        var merged = Incident.Evolve(duplicate, decision.Events[0])!;
        merged.Status.Should().Be(IncidentStatus.Merged);
        merged.MergedInto.Should().Be(Other);
        IncidentDecisions.Verify(merged, "x", T0).IsAccepted.Should().BeFalse();
        IncidentDecisions.FileSitrep(merged, 0, 0, 0, 1, "", T0).IsAccepted.Should().BeFalse();
        IncidentDecisions.Merge(merged, survivor, "again", T0).Violation!.Rule.Should().Be("merge-open-duplicate");
        IncidentDecisions.Merge(duplicate, Given(Reported(Other), Verified(Other), new IncidentClosed(Other, "done", T0)), "r", T0).Violation!.Rule.Should().Be("merge-into-open");
        IncidentDecisions.Merge(Given(Reported(Id), Verified(Id), Dispatched), survivor, "r", T0).Violation!.Rule.Should().Be("merge-no-open-tasks");
    }
}
