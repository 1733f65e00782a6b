using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Domain.Supplies;
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

    private static readonly (Guid Stream, object Event)[] EpidemicLog =
    [
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
        (Elsewhere, Reported(Elsewhere, "330102")),
    ];

    private static readonly SituationState Epidemic = Given(EpidemicLog);

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
        open.Should().BeEquivalentTo(new
        {
            Title = "", Description = "", LatestSitrep = (Sitrep?)null, OccurredAt = default(Instant), ReportedAt = default(Instant), FeedbackCount = 0,
            Status = IncidentStatus.Verified, Severity = Severity.II, Jurisdiction = "420102", Category = IncidentCategory.PublicHealth,
        });
        open.Tasks.Select(t => (t.Id, t.Status, t.DueAt, t.Department, t.Instruction)).Should().Equal(
            (LateTask, ResponseTaskStatus.Dispatched, Due, "", ""), (AcknowledgedTask, ResponseTaskStatus.Acknowledged, Due, "", ""));
        Epidemic.Incidents.Should().NotContainKey(Closed, "a closed incident can never change again: it is only counted");
        Epidemic.Finished["420102"].Should().BeEquivalentTo(new { ClosedIncidents = 1, DeliveredShipments = 0 });
        Epidemic.Finished["420102"].ClosedBySeverity.Should().Equal(new Dictionary<Severity, int> { [Severity.III] = 1 });
        Epidemic.Incidents[Dismissed].Status.Should().Be(IncidentStatus.Dismissed, "a dismissed report may still be merged");

        // A task event after the trim still finds its task; once completed, the task leaves the board's copy.
        var later = Epidemic.Evolve(Open, 18, new TaskCompleted(Open, LateTask, "traced", Due));
        SituationBoard.Of(later, "420000", Due).Tasks.Should().Be(new TaskCounts(Open: 1, Overdue: 0));
        later.Incidents[Open].Tasks.Select(t => t.Id).Should().Equal([AcknowledgedTask], "the board never counts a completed task again");
        later.Evolve(Open, 19, new IncidentGraded(Open, Severity.I, "spreading", Due)).Incidents[Open].Severity.Should().Be(Severity.I);
    }

    [Fact]
    public void Sitreps_and_feedback_leave_the_situation_as_it_was_so_its_snapshots_need_not_read_them()
    {
        // Given the epidemic's log, with sitreps and feedback on incidents open, closed and dismissed
        (Guid Stream, object Event)[] later =
        [
            (Open, new SitrepFiled(Open, 1, 5, 0, 60, "one death", Due)), (Open, new FeedbackGiven(Open, "hospital informed", Due)),
            (Closed, new SitrepFiled(Closed, 0, 0, 0, 0, "after closing", Due)), (Dismissed, new FeedbackGiven(Dismissed, "caller told", Due)),
            (Open, new TaskCompleted(Open, LateTask, "traced", Due)),
        ];
        var log = EpidemicLog.Concat(later).Select((e, i) => (e.Stream, Sequence: i + 1L, e.Event)).ToList();
        log.Select(e => e.Event.GetType()).Where(t => !SituationState.Changes(t)).Distinct()
            .Should().BeEquivalentTo([typeof(SitrepFiled), typeof(FeedbackGiven)], "these are what the snapshots skip");

        // When it is folded whole, and without the facts the situation says cannot change it
        SituationState Fold(IEnumerable<(Guid Stream, long Sequence, object Event)> events) =>
            events.Aggregate(SituationState.Empty, (s, e) => s.Evolve(e.Stream, e.Sequence, e.Event)) with { Sequence = 0 };
        var whole = Fold(log);
        var skipping = Fold(log.Where(e => SituationState.Changes(e.Event.GetType())));

        // Then the two are the same situation, member for member
        skipping.Should().BeEquivalentTo(whole);
        SituationBoard.Of(skipping, "000000", Due).Should().BeEquivalentTo(SituationBoard.Of(whole, "000000", Due));
    }

    [Fact]
    public void The_situation_grows_with_what_is_open_not_with_history()
    {
        // Given a thousand incidents reported and closed, and a thousand shipments delivered, in forty districts
        var state = SituationState.Empty;
        long sequence = 0;
        for (var i = 0; i < 1000; i++)
        {
            var id = Guid.NewGuid();
            var district = $"4201{i % 40:00}";
            state = state.Evolve(id, ++sequence, Reported(id, district))
                .Evolve(id, ++sequence, new IncidentGraded(id, (Severity)(i % 4), "graded", T0))
                .Evolve(id, ++sequence, new IncidentClosed(id, "over", T0))
                .Evolve(id, ++sequence, new FeedbackGiven(id, "after the end", T0));
            var shipment = Guid.NewGuid();
            state = state.Evolve(shipment, ++sequence, new ShipmentDispatched(shipment, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
                    [new SupplyLine("N95 mask", 10)], district, T0))
                .Evolve(shipment, ++sequence, new ShipmentDelivered(shipment, [new SupplyLine("N95 mask", 10)], [], "hospital", T0));
        }
        // When one more is open
        var open = Guid.NewGuid();
        state = state.Evolve(open, ++sequence, Reported(open, "420101"));

        // Then the state holds the open one and forty tallies, and the board still counts all of them
        state.Incidents.Keys.Should().Equal(open);
        state.Shipments.Should().BeEmpty();
        state.Finished.Should().HaveCount(40);
        var board = SituationBoard.Of(state, "420100", T0);
        board.Incidents.Total.Should().Be(1001);
        board.Incidents.ByStatus.Should().Equal(new Dictionary<string, int> { ["Closed"] = 1000, ["Reported"] = 1 });
        board.Incidents.BySeverity.Should().Equal(new Dictionary<string, int> { ["I"] = 250, ["II"] = 250, ["III"] = 250, ["IV"] = 250 });
        board.Shipments.Should().Be(new ShipmentCounts(InTransit: 0, Delivered: 1000));
        SituationBoard.Of(state, "420101", T0).Incidents.Total.Should().Be(26, "25 closed in 420101 and the open one");
    }

    [Fact]
    public void A_dismissed_report_merged_later_is_counted_once_as_the_incident_it_joined()
    {
        var survivor = Guid.NewGuid();
        var state = Epidemic.Evolve(survivor, 18, Reported(survivor))
            .Evolve(Dismissed, 19, new IncidentMerged(Dismissed, survivor, "same cluster", T0))
            .Evolve(survivor, 20, new DuplicateAbsorbed(survivor, Dismissed, "same cluster", T0));

        state.Incidents.Should().NotContainKey(Dismissed);
        SituationBoard.Of(state, "420000", Due).Incidents.ByStatus.Should().Equal(
            new Dictionary<string, int> { ["Closed"] = 1, ["Reported"] = 1, ["Verified"] = 1 });
    }

    [Fact]
    public void A_snapshot_keeps_counts_and_open_tasks_and_learns_the_other_incidents_from_their_streams_before_folding_on()
    {
        // Given the epidemic's log and what follows it: a verified report without tasks, an open incident without tasks
        // graded and closed, the dismissed report merged, a task completed, another dispatched
        var quiet = Guid.NewGuid();
        (Guid Stream, object Event)[] later =
        [
            (quiet, Reported(quiet, "420103")), (quiet, new IncidentVerified(quiet, "confirmed", T0)),
            (Elsewhere, new IncidentGraded(Elsewhere, Severity.IV, "minor", Due)),
            (Open, new TaskCompleted(Open, LateTask, "traced", Due)),
            (Dismissed, new IncidentMerged(Dismissed, Open, "same cluster", Due)), (Open, new DuplicateAbsorbed(Open, Dismissed, "same cluster", Due)),
            (quiet, new IncidentGraded(quiet, Severity.I, "spreading", Due)),
            (quiet, new TaskDispatched(quiet, DoneTask, "CDC", "trace", Due, Due)),
            (Elsewhere, new IncidentClosed(Elsewhere, "over", Due)),
            (quiet, new SitrepFiled(quiet, 0, 1, 0, 5, "one case", Due)),
        ];
        var log = EpidemicLog.Concat(later).Select((e, i) => (e.Stream, Sequence: i + 1L, e.Event)).ToList();
        SituationState Fold(SituationState state, IEnumerable<(Guid Stream, long Sequence, object Event)> events) =>
            events.Aggregate(state, (s, e) => s.Evolve(e.Stream, e.Sequence, e.Event));
        // What the server reads before a batch: the unknown incidents' own events before it
        SituationState Learn(SituationState state, IReadOnlyList<(Guid Stream, long Sequence, object Event)> batch)
        {
            var unknown = state.Unknown(batch.Select(e => (e.Stream, e.Event)));
            return state.Knowing(log.Where(e => unknown.Contains(e.Stream) && e.Sequence < batch[0].Sequence)
                .GroupBy(e => e.Stream, e => e.Event));
        }

        var whole = Fold(SituationState.Empty, log);
        foreach (var cut in Enumerable.Range(0, log.Count + 1))
        foreach (var batchSize in new[] { 1, 3, log.Count })
        foreach (var changesOnly in new[] { false, true })
        {
            // When a snapshot is taken after `cut` events, and the rest folded onto it in batches, each prepared first
            // (only the facts that change the situation, as the snapshot shard is fed, or all of them), with a snapshot
            // of that partial state taken halfway, as the shard writes after a restart
            var snapshot = Fold(SituationState.Empty, log.Take(cut)).ForSnapshot();
            snapshot.Incidents.Values.Should().NotContain(i => i.Tasks.IsEmpty, "a snapshot keeps whole only the incidents with open tasks");
            var state = snapshot;
            var batches = log.Skip(cut).Where(e => !changesOnly || SituationState.Changes(e.Event.GetType())).Chunk(batchSize).ToList();
            for (var i = 0; i < batches.Count; i++)
            {
                if (i == batches.Count / 2) state = state.ForSnapshot();
                state = Fold(Learn(state, batches[i]), batches[i]);
            }

            // Then every board is the one the whole fold shows (up to the sequence, when the last facts were skipped)
            foreach (var (code, at) in new[] { ("000000", Due), ("420000", T0), ("420103", Due), ("330000", Due) })
                SituationBoard.Of(state, code, at).Should().BeEquivalentTo(SituationBoard.Of(whole, code, at), o => o.Excluding(b => b.Sequence),
                    $"cut at {cut}, batches of {batchSize}, {(changesOnly ? "changes only" : "every fact")}, {code}");
            state.OpenIncidents.Should().BeEquivalentTo(whole.OpenIncidents);
        }
    }

    [Fact]
    public void A_state_stored_with_every_incident_and_no_counts_is_counted_again_on_reading()
    {
        // Given the epidemic with the dismissed report merged, stored as the earliest snapshots held it: every incident
        // reported, the closed and the merged ones too, without counts or finished tallies
        var merge = new IncidentMerged(Dismissed, Open, "same cluster", Due);
        var now = Epidemic.Evolve(Dismissed, 18, merge);
        Incident Whole(Guid id, params object[] more) => Incident.Replay(EpidemicLog.Where(e => e.Stream == id).Select(e => e.Event).Concat(more))!;
        var earliest = now with
        {
            Incidents = now.Incidents.SetItem(Closed, Whole(Closed)).SetItem(Dismissed, Whole(Dismissed, merge)),
            OpenIncidents = now.OpenIncidents.Clear(), Finished = now.Finished.Clear(),
        };
        // and as the later ones did: the open incidents only, closed ones tallied, still without counts
        var later = now with { OpenIncidents = now.OpenIncidents.Clear() };

        // When each is counted again on reading, then it is the situation the fold leaves now
        foreach (var stored in new[] { earliest, later })
        {
            var read = stored.Recounted();
            read.OpenIncidents.Should().BeEquivalentTo(now.OpenIncidents);
            read.Incidents.Keys.Should().BeEquivalentTo(now.Incidents.Keys);
            read.Finished.Should().BeEquivalentTo(now.Finished);
            SituationBoard.Of(read, "000000", Due).Should().BeEquivalentTo(SituationBoard.Of(now, "000000", Due));
        }
    }
}
