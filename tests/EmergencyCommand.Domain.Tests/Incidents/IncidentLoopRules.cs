using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Incidents;

/// <summary>Given the incident's past events, when a command is decided, then these events or this violation.</summary>
public sealed class IncidentLoopRules
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid TaskA = Guid.NewGuid();
    private static readonly Guid TaskB = Guid.NewGuid();
    private static readonly Instant T0 = Instant.FromUtc(2020, 1, 20, 8, 0);
    private static readonly Instant Now = T0 + Duration.FromHours(6);

    private static readonly IncidentReported Reported = IncidentDecisions.Report(Id, IncidentCategory.PublicHealth, "Fever cluster", "",
        "420102", new GeoPoint(30.6, 114.3), T0, ReportSource.Hospital, T0 + Duration.FromMinutes(30));
    private static readonly IncidentVerified Verified = new(Id, "CDC confirmed", T0 + Duration.FromHours(1));
    private static TaskDispatched Dispatched(Guid task) => new(Id, task, "CDC", "Trace contacts", Now + Duration.FromDays(1), T0 + Duration.FromHours(2));

    private static Incident Given(params object[] events) => Incident.Replay(events) ?? throw new InvalidOperationException("no incident");

    [Fact]
    public void A_reported_incident_is_verified()
    {
        var decision = IncidentDecisions.Verify(Given(Reported), "confirmed", Now);
        decision.Events.Should().Equal(new IncidentVerified(Id, "confirmed", Now));
    }

    [Fact]
    public void A_verified_incident_is_not_verified_again()
    {
        var decision = IncidentDecisions.Verify(Given(Reported, Verified), "again", Now);
        decision.Violation!.Rule.Should().Be("verify-only-reported");
        decision.Events.Should().BeEmpty();
    }

    [Fact]
    public void A_reported_incident_can_be_dismissed_but_then_takes_no_tasks()
    {
        IncidentDecisions.Dismiss(Given(Reported), "duplicate", Now).Events.Should().Equal(new IncidentDismissed(Id, "duplicate", Now));
        var dismissed = Given(Reported, new IncidentDismissed(Id, "duplicate", Now));
        IncidentDecisions.DispatchTask(dismissed, TaskA, "CDC", "x", Now + Duration.FromHours(1), Now).Violation!.Rule
            .Should().Be("dispatch-only-verified");
        IncidentDecisions.FileSitrep(dismissed, 0, 0, 0, 1, "", Now).Violation!.Rule.Should().Be("incident-open");
    }

    [Fact]
    public void Only_a_reported_incident_is_dismissed_so_a_verified_one_cannot_end_without_closing_the_loop()
    {
        var done = Given(Reported, Verified, Dispatched(TaskA), new TaskCompleted(Id, TaskA, "ok", Now));
        IncidentDecisions.Dismiss(done, "x", Now).Violation!.Detail.Should().Contain("feedback or a waiver");
        IncidentDecisions.Dismiss(Given(Reported, Verified, Dispatched(TaskA)), "x", Now).Violation!.Rule.Should().Be("dismiss-only-reported");
        IncidentDecisions.Dismiss(Given(Reported, new IncidentDismissed(Id, "duplicate", Now)), "again", Now).Violation!.Rule.Should().Be("dismiss-only-reported");
    }

    [Fact]
    public void Only_a_verified_incident_is_graded_and_regrading_must_change_the_grade()
    {
        IncidentDecisions.Grade(Given(Reported), Severity.II, "x", Now).Violation!.Rule.Should().Be("grade-only-verified");
        IncidentDecisions.Grade(Given(Reported, Verified), Severity.II, "27 cases", Now).Events
            .Should().Equal(new IncidentGraded(Id, Severity.II, "27 cases", Now));
        IncidentDecisions.Grade(Given(Reported, Verified, new IncidentGraded(Id, Severity.II, "x", Now)), Severity.II, "y", Now)
            .Violation!.Rule.Should().Be("grade-changes");
        IncidentDecisions.Grade(Given(Reported, Verified, new IncidentGraded(Id, Severity.II, "x", Now)), Severity.I, "y", Now)
            .IsAccepted.Should().BeTrue();
    }

    [Fact]
    public void A_task_must_be_due_after_it_is_dispatched()
    {
        IncidentDecisions.DispatchTask(Given(Reported, Verified), TaskA, "CDC", "x", Now, Now).Violation!.Rule.Should().Be("due-in-future");
        IncidentDecisions.DispatchTask(Given(Reported), TaskA, "CDC", "x", Now + Duration.FromHours(1), Now).Violation!.Rule
            .Should().Be("dispatch-only-verified");
    }

    [Fact]
    public void A_task_is_acknowledged_once_then_completed_once()
    {
        var given = Given(Reported, Verified, Dispatched(TaskA));
        IncidentDecisions.AcknowledgeTask(given, TaskA, Now).Events.Should().Equal(new TaskAcknowledged(Id, TaskA, Now));

        var acknowledged = Given(Reported, Verified, Dispatched(TaskA), new TaskAcknowledged(Id, TaskA, Now));
        IncidentDecisions.AcknowledgeTask(acknowledged, TaskA, Now).Violation!.Rule.Should().Be("acknowledge-once");
        IncidentDecisions.CompleteTask(acknowledged, TaskA, "done", Now).Events.Should().Equal(new TaskCompleted(Id, TaskA, "done", Now));

        var completed = Given(Reported, Verified, Dispatched(TaskA), new TaskCompleted(Id, TaskA, "done", Now));
        IncidentDecisions.CompleteTask(completed, TaskA, "again", Now).Violation!.Rule.Should().Be("complete-once");
        IncidentDecisions.AcknowledgeTask(completed, TaskA, Now).Violation!.Rule.Should().Be("acknowledge-once");
    }

    [Fact]
    public void An_incident_closes_only_when_every_task_is_completed()
    {
        var oneOpen = Given(Reported, Verified, Dispatched(TaskA), Dispatched(TaskB), new TaskCompleted(Id, TaskA, "ok", Now));
        var refused = IncidentDecisions.Close(oneOpen, "done", null, Now);
        refused.Violation!.Rule.Should().Be("close-all-tasks-completed");
        refused.Violation.Detail.Should().Contain("1 task");

        var allDone = Given(Reported, Verified, Dispatched(TaskA), Dispatched(TaskB),
            new TaskCompleted(Id, TaskA, "ok", Now), new TaskCompleted(Id, TaskB, "ok", Now), new FeedbackGiven(Id, "Residents told", Now));
        IncidentDecisions.Close(allDone, "contained", null, Now).Events.Should().Equal(new IncidentClosed(Id, "contained", Now));
    }

    [Fact]
    public void An_incident_closes_after_feedback_or_with_a_waiver_that_says_why_none_is_owed()
    {
        // Given a verified incident whose one task is completed, and no feedback yet.
        object[] history = [Reported, Verified, Dispatched(TaskA), new TaskCompleted(Id, TaskA, "ok", Now)];
        var done = Given(history);

        // When it is closed without feedback or a waiver (or a blank one), then the loop is not closed.
        IncidentDecisions.Close(done, "contained", null, Now).Violation!.Rule.Should().Be("close-after-feedback");
        IncidentDecisions.Close(done, "contained", "  ", Now).Violation!.Detail.Should().Contain("feedbackWaiver");

        // With a waiver it closes, and the waiver is the fact recorded; once feedback is given, no waiver is recorded.
        IncidentDecisions.Close(done, "contained", " Sensor alarm, no reporter to tell ", Now).Events
            .Should().Equal(new IncidentClosed(Id, "contained", Now, "Sensor alarm, no reporter to tell"));
        var told = Given([.. history, new FeedbackGiven(Id, "Community told", Now)]);
        IncidentDecisions.Close(told, "contained", "not needed", Now).Events.Should().Equal(new IncidentClosed(Id, "contained", Now));
    }

    [Fact]
    public void Only_a_verified_incident_closes_and_a_closed_one_takes_nothing_more()
    {
        IncidentDecisions.Close(Given(Reported), "x", null, Now).Violation!.Rule.Should().Be("close-only-verified");

        var closed = Given(Reported, Verified, new IncidentClosed(Id, "done", Now));
        IncidentDecisions.Close(closed, "again", "w", Now).IsAccepted.Should().BeFalse();
        IncidentDecisions.GiveFeedback(closed, "late", Now).Violation!.Rule.Should().Be("incident-open");
        IncidentDecisions.FileSitrep(closed, 0, 0, 0, 0, "", Now).Violation!.Rule.Should().Be("incident-open");
        IncidentDecisions.DispatchTask(closed, TaskA, "CDC", "x", Now + Duration.FromHours(1), Now).IsAccepted.Should().BeFalse();
    }

    [Fact]
    public void Sitreps_and_feedback_are_recorded_and_the_latest_sitrep_is_kept()
    {
        var given = Given(Reported, Verified);
        var first = IncidentDecisions.FileSitrep(given, 1, 2, 3, 40, "first", Now).Events.Single();
        var second = IncidentDecisions.FileSitrep(given, 2, 5, 1, 90, "second", Now + Duration.FromHours(1)).Events.Single();
        var state = Given(Reported, Verified, first, second);
        state.LatestSitrep!.Affected.Should().Be(90);
        state.LatestSitrep.Note.Should().Be("second");

        IncidentDecisions.GiveFeedback(state, "told residents", Now).Events.Should().Equal(new FeedbackGiven(Id, "told residents", Now));
    }

    [Fact]
    public void Evolving_keeps_the_reported_facts_and_the_task_states()
    {
        var state = Given(Reported, Verified, Dispatched(TaskA), new TaskAcknowledged(Id, TaskA, Now));
        state.Jurisdiction.Should().Be("420102");
        state.OccurredAt.Should().Be(T0);
        state.Status.Should().Be(IncidentStatus.Verified);
        state.Task(TaskA)!.Status.Should().Be(ResponseTaskStatus.Acknowledged);
        Incident.Replay([Verified]).Should().BeNull("an incident begins with its report");
    }
}
