using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Situation;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Situation;

public sealed class SituationBoardRules
{
    private static readonly Instant T0 = Instant.FromUtc(2020, 1, 25, 0, 0);
    private static readonly Instant Due = T0 + Duration.FromHours(6);
    private static readonly Guid Open = Guid.NewGuid(), Closed = Guid.NewGuid(), Dismissed = Guid.NewGuid(), Elsewhere = Guid.NewGuid();
    private static readonly Guid LateTask = Guid.NewGuid(), AcknowledgedTask = Guid.NewGuid(), DoneTask = Guid.NewGuid();

    private static IncidentReported Reported(Guid id, string jurisdiction = "420102") =>
        new(id, IncidentCategory.PublicHealth, "Fever cluster", "Several patients with pneumonia", jurisdiction, new GeoPoint(30.6, 114.3), T0, ReportSource.Hospital, T0);

    private static SituationState Given(params (Guid Stream, object Event)[] events) =>
        events.Select((e, i) => (e, i)).Aggregate(SituationState.Empty, (s, x) => s.Evolve(x.e.Stream, x.i + 1, x.e.Event));

    private static readonly SituationState Epidemic = Given(
        (Open, Reported(Open)), (Open, new IncidentVerified(Open, "confirmed", T0)), (Open, new IncidentGraded(Open, Severity.II, "cluster", T0)),
        (Open, new TaskDispatched(Open, LateTask, "CDC", "trace contacts", Due, T0)),
        (Open, new TaskDispatched(Open, AcknowledgedTask, "Hospital", "isolate", Due, T0)),
        (Open, new TaskAcknowledged(Open, AcknowledgedTask, T0)),
        (Open, new SitrepFiled(Open, 0, 3, 0, 40, "three in intensive care", T0)),
        (Closed, Reported(Closed)), (Closed, new IncidentVerified(Closed, "confirmed", T0)), (Closed, new IncidentGraded(Closed, Severity.III, "contained", T0)),
        (Closed, new TaskDispatched(Closed, DoneTask, "CDC", "disinfect", Due, T0)),
        (Closed, new TaskCompleted(Closed, DoneTask, "done", T0)), (Closed, new IncidentClosed(Closed, "contained", T0)),
        (Closed, new FeedbackGiven(Closed, "thanks", T0)),
        (Dismissed, Reported(Dismissed)), (Dismissed, new IncidentDismissed(Dismissed, "false alarm", T0)),
        (Elsewhere, Reported(Elsewhere, "330102")));

    [Fact]
    public void The_board_counts_incidents_by_status_category_and_severity_and_the_open_tasks_of_open_incidents_only()
    {
        var board = SituationBoard.Of(Epidemic, "420000", Due);

        board.Sequence.Should().Be(17);
        board.Incidents.Total.Should().Be(3, "the Zhejiang report is outside Hubei");
        board.Incidents.ByStatus.Should().Equal(new Dictionary<string, int> { ["Closed"] = 1, ["Dismissed"] = 1, ["Verified"] = 1 });
        board.Incidents.ByCategory.Should().Equal(new Dictionary<string, int> { ["PublicHealth"] = 3 });
        board.Incidents.BySeverity.Should().Equal(new Dictionary<string, int> { ["II"] = 1, ["III"] = 1 });
        board.Tasks.Should().Be(new TaskCounts(Open: 2, Overdue: 1), "at its deadline the task still only dispatched counts as overdue");
        SituationBoard.Of(Epidemic, "000000", Due).Incidents.Total.Should().Be(4);
    }

    [Fact]
    public void The_situation_keeps_of_an_incident_only_what_the_board_reads_so_its_snapshots_stay_small()
    {
        var open = Epidemic.Incidents[Open];
        open.Should().BeEquivalentTo(new { Title = "", Description = "", LatestSitrep = (Sitrep?)null, Status = IncidentStatus.Verified, Severity = Severity.II });
        open.Tasks.Select(t => (t.Id, t.Status, t.DueAt, t.Department, t.Instruction)).Should().Equal(
            (LateTask, ResponseTaskStatus.Dispatched, Due, "", ""), (AcknowledgedTask, ResponseTaskStatus.Acknowledged, Due, "", ""));
        Epidemic.Incidents[Closed].Tasks.Should().BeEmpty("a closed incident can never reopen, so its tasks never count again");
        Epidemic.Incidents[Closed].Status.Should().Be(IncidentStatus.Closed);

        // A task event after the trim still finds its task.
        var later = Epidemic.Evolve(Open, 18, new TaskCompleted(Open, LateTask, "traced", Due));
        SituationBoard.Of(later, "420000", Due).Tasks.Should().Be(new TaskCounts(Open: 1, Overdue: 0));
    }
}
