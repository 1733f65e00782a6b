using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Review;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Review;

/// <summary>The intervals a post-incident review measures, on a scripted day of one epidemic cluster.</summary>
public sealed class ReviewReportRules
{
    private static readonly Instant Start = Instant.FromUtc(2020, 1, 20, 8, 0);
    private static readonly Guid Incident = Guid.NewGuid(), Traced = Guid.NewGuid(), Cordoned = Guid.NewGuid(), Request = Guid.NewGuid();

    private static Instant At(int minutes) => Start + Duration.FromMinutes(minutes);

    private static ReviewReport Given(params (int Minutes, object Data)[] script) =>
        ReviewReports.Build("Review", script.Select((s, i) => new RecordedEvent(i + 1, At(s.Minutes), "hubei", Guid.Empty, s.Data)).ToList(),
            Narrative.Combine([IncidentNarrative.Facts, ResponseLevelNarrative.Facts, SupplyNarrative.Facts]));

    private static IEnumerable<(string Kind, string Subject, Instant From, Instant? To)> Measured(ReviewReport report) =>
        report.Intervals.Select(i => (i.Kind, i.Subject, i.From, i.To));

    [Fact]
    public void The_loop_levels_supplies_and_overdue_tasks_are_each_measured_from_their_own_events()
    {
        var report = Given(
            (0, new IncidentReported(Incident, IncidentCategory.PublicHealth, "Fever cluster", "", "420102", new GeoPoint(30.6, 114.3), At(0), ReportSource.Hospital, At(0))),
            (5, new ResponseLevelDeclared("420000", ResponseLevel.II, "First cluster", [Incident], At(5), At(5), "hubei", Guid.NewGuid())),
            (10, new IncidentVerified(Incident, "CDC confirmed", At(10))),
            (20, new TaskDispatched(Incident, Traced, "CDC", "Trace contacts", At(50), At(20))),
            (25, new TaskDispatched(Incident, Cordoned, "Police", "Cordon the market", At(600), At(25))),
            (30, new ResponseLevelEscalated("420000", ResponseLevel.II, ResponseLevel.I, "Rapid spread", [Incident], At(30), At(30), "hubei", Guid.NewGuid())),
            (51, new TaskBecameOverdue(Incident, Traced, At(50), "hubei", At(51))),
            (60, new SupplyRequested(Request, "Jinyintan Hospital", "420105", Priority.Critical, [new SupplyLine("N95 mask", 100)], At(120), At(60))),
            (80, new TaskCompleted(Incident, Traced, "42 contacts traced", At(80))),
            (90, new SuppliesAllocated(Request, Guid.NewGuid(), Guid.NewGuid(), [new SupplyLine("N95 mask", 60)], "ICU first", [], false, At(90))),
            (95, new SuppliesAllocated(Request, Guid.NewGuid(), Guid.NewGuid(), [new SupplyLine("N95 mask", 40)], "rest", [], false, At(95))),
            (180, new SuppliesDelivered(Request, Guid.NewGuid(), [new SupplyLine("N95 mask", 60)], At(180))));

        Measured(report).Should().BeEquivalentTo(new (string, string, Instant, Instant?)[]
        {
            ("report→verification", "Fever cluster", At(0), At(10)),
            ("verification→first dispatch", "Fever cluster", At(10), At(20)),
            ("level II in force", "420000", At(5), At(30)),
            ("overdue task (due→escalation)", "CDC", At(50), At(51)),
            ("dispatch→completion", "CDC", At(20), At(80)),
            ("request→first allocation", "Jinyintan Hospital", At(60), At(90)),
            ("request→delivery", "Jinyintan Hospital", At(60), At(180)),
            // Still open when the record ends: the level in force and the task never completed.
            ("level I in force", "420000", At(30), null),
            ("dispatch→completion", "Police", At(25), null),
        });
        report.Intervals.Single(i => i.Kind == "request→delivery").Length.Should().Be(Duration.FromHours(2));
        report.Timeline.Select(e => e.Rationale).Should().Contain(["First cluster", "Rapid spread", "ICU first", "42 contacts traced"]);
        // A review read in Chinese names every kind of span in Chinese.
        report.Intervals.Select(i => ReviewReports.KindZh(i.Kind)).Distinct().Should().BeEquivalentTo(
            "上报→核实", "核实→首次派发", "Ⅱ级响应期间", "任务超时（到期→督办）", "派发→完成", "需求→首次分配", "需求→送达", "Ⅰ级响应期间");
    }

    [Fact]
    public void Two_scheduled_changes_superseded_together_leave_only_the_levels_that_took_effect()
    {
        // Given level III in force, level IV scheduled for minute 120 and a termination for minute 240, both superseded at
        // minute 30 by a province escalation to II (the latest withdrawn first, as the decision records them).
        Guid Decided() => Guid.NewGuid();
        var report = Given(
            (0, new ResponseLevelDeclared("420100", ResponseLevel.III, "Clusters", [], At(0), At(0), "wuhan", Decided())),
            (5, new ResponseLevelDeescalated("420100", ResponseLevel.III, ResponseLevel.IV, "Easing", [], At(120), At(5), "wuhan", Decided())),
            (6, new ResponseLevelTerminated("420100", ResponseLevel.IV, "Over", At(240), At(6), "wuhan", Decided())),
            (30, new ScheduledChangeSuperseded("420100", Guid.NewGuid(), "wuhan", At(240), "Spreading", At(30), "hubei", Guid.NewGuid())),
            (30, new ScheduledChangeSuperseded("420100", Guid.NewGuid(), "wuhan", At(120), "Spreading", At(30), "hubei", Guid.NewGuid())),
            (30, new ResponseLevelEscalated("420100", ResponseLevel.III, ResponseLevel.II, "Spreading", [], At(30), At(30), "hubei", Decided())));

        // Then III ran until the escalation and II since: nothing of the withdrawn IV or the termination remains.
        Measured(report).Should().BeEquivalentTo(new (string, string, Instant, Instant?)[]
        {
            ("level III in force", "420100", At(0), At(30)),
            ("level II in force", "420100", At(30), null),
        });
    }
}
