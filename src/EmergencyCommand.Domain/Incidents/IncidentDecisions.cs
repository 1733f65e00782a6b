using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Incidents;

/// <summary>
/// The rules of the closed loop as pure functions: current incident + command → events or a violation.
/// Input shape (empty text, negative counts) is checked at the edge; these check the state.
/// </summary>
public static class IncidentDecisions
{
    public static IncidentReported Report(
        Guid incidentId, IncidentCategory category, string title, string description, string jurisdiction,
        GeoPoint location, Instant occurredAt, ReportSource source, Instant now) =>
        new(incidentId, category, title, description, jurisdiction, location, occurredAt, source, now);

    public static Decision Verify(Incident incident, string note, Instant now) =>
        incident.Status == IncidentStatus.Reported
            ? Decision.Accept(new IncidentVerified(incident.Id, note, now))
            : Decision.Reject("verify-only-reported", $"Only a reported incident can be verified; this one is {incident.Status}.");

    /// <summary>
    /// Triage's other answer: a report that is not an incident. Once verified it is one, and it ends by closing the loop
    /// (feedback or a waiver), never by a dismissal that would skip it and count it as a false alarm.
    /// </summary>
    public static Decision Dismiss(Incident incident, string reason, Instant now) =>
        incident.Status == IncidentStatus.Reported
            ? Decision.Accept(new IncidentDismissed(incident.Id, reason, now))
            : Decision.Reject("dismiss-only-reported",
                incident.Status == IncidentStatus.Verified
                    ? "Only a reported incident can be dismissed; a verified one is closed, with feedback or a waiver."
                    : $"Only a reported incident can be dismissed; this one is {incident.Status}.");

    public static Decision Grade(Incident incident, Severity severity, string rationale, Instant now) =>
        incident.Status switch
        {
            IncidentStatus.Verified when incident.Severity == severity =>
                Decision.Reject("grade-changes", $"The incident is already graded {severity}."),
            IncidentStatus.Verified => Decision.Accept(new IncidentGraded(incident.Id, severity, rationale, now)),
            _ => Decision.Reject("grade-only-verified", $"Only a verified incident can be graded; this one is {incident.Status}."),
        };

    public static Decision DispatchTask(
        Incident incident, Guid taskId, string department, string instruction, Instant dueAt, Instant now)
    {
        if (incident.Status != IncidentStatus.Verified)
            return Decision.Reject("dispatch-only-verified",
                $"Tasks are dispatched only for a verified incident; this one is {incident.Status}.");
        if (dueAt <= now)
            return Decision.Reject("due-in-future", "A task must be due after the moment it is dispatched.");
        return Decision.Accept(new TaskDispatched(incident.Id, taskId, department, instruction, dueAt, now));
    }

    public static Decision AcknowledgeTask(Incident incident, Guid taskId, Instant now)
    {
        if (Closed(incident) is { } closed) return closed;
        var task = incident.Task(taskId)!;
        return task.Status switch
        {
            ResponseTaskStatus.Dispatched or ResponseTaskStatus.Overdue =>
                Decision.Accept(new TaskAcknowledged(incident.Id, taskId, now)),
            _ => Decision.Reject("acknowledge-once", $"The task is already {task.Status}."),
        };
    }

    public static Decision CompleteTask(Incident incident, Guid taskId, string outcome, Instant now)
    {
        if (Closed(incident) is { } closed) return closed;
        var task = incident.Task(taskId)!;
        return task.Status == ResponseTaskStatus.Completed
            ? Decision.Reject("complete-once", "The task is already completed.")
            : Decision.Accept(new TaskCompleted(incident.Id, taskId, outcome, now));
    }

    public static Decision FileSitrep(Incident incident, int dead, int injured, int missing, int affected, string note, Instant now) =>
        Closed(incident) ?? Decision.Accept(new SitrepFiled(incident.Id, dead, injured, missing, affected, note, now));

    public static Decision GiveFeedback(Incident incident, string summary, Instant now) =>
        incident.Status is IncidentStatus.Closed or IncidentStatus.Merged
            ? Decision.Reject("incident-open", $"The incident is {incident.Status}.")
            : Decision.Accept(new FeedbackGiven(incident.Id, summary, now));

    /// <summary>
    /// Closes the loop: every task completed, and the reporter or community told what was done — or a waiver saying why
    /// no one is owed feedback (an anonymous sensor alarm, say). The waiver is recorded only when it stands in for feedback.
    /// </summary>
    public static Decision Close(Incident incident, string summary, string? feedbackWaiver, Instant now)
    {
        if (incident.Status != IncidentStatus.Verified)
            return Decision.Reject("close-only-verified", $"Only a verified incident can be closed; this one is {incident.Status}.");
        var open = incident.Tasks.Where(t => t.IsOpen).ToList();
        if (open.Count > 0)
            return Decision.Reject("close-all-tasks-completed",
                $"{open.Count} task(s) are not completed: {string.Join(", ", open.Select(t => $"{t.Department} ({t.Status})"))}.");
        var waiver = string.IsNullOrWhiteSpace(feedbackWaiver) ? null : feedbackWaiver.Trim();
        if (incident.FeedbackCount == 0 && waiver is null)
            return Decision.Reject("close-after-feedback",
                "No feedback to the reporter or community is recorded: give feedback first, or close with a feedbackWaiver saying why none is owed.");
        return Decision.Accept(new IncidentClosed(incident.Id, summary, now, incident.FeedbackCount == 0 ? waiver : null));
    }

    /// <summary>
    /// At a task's deadline: overdue if it is still only dispatched (acknowledging or completing in time cancels
    /// the escalation). Deciding again changes nothing, so a timer that fires twice records one escalation.
    /// </summary>
    public static Decision MarkOverdue(Incident incident, Guid taskId, string? escalateTo, Instant now)
    {
        var task = incident.Task(taskId);
        if (task is null || task.Status != ResponseTaskStatus.Dispatched || now < task.DueAt
            || incident.Status is IncidentStatus.Closed or IncidentStatus.Dismissed)
            return Decision.Accept();
        return Decision.Accept(new TaskBecameOverdue(incident.Id, taskId, task.DueAt, escalateTo, now));
    }

    /// <summary>Merges a duplicate report into the incident that survives; both streams record it.</summary>
    public static Decision Merge(Incident duplicate, Incident survivor, string rationale, Instant now)
    {
        if (duplicate.Id == survivor.Id) return Decision.Reject("merge-other", "An incident cannot be merged into itself.");
        if (duplicate.Status is IncidentStatus.Closed or IncidentStatus.Merged)
            return Decision.Reject("merge-open-duplicate", $"The duplicate is {duplicate.Status}.");
        if (survivor.Status is IncidentStatus.Closed or IncidentStatus.Dismissed or IncidentStatus.Merged)
            return Decision.Reject("merge-into-open", $"The incident to merge into is {survivor.Status}.");
        if (duplicate.Tasks.Any(t => t.IsOpen))
            return Decision.Reject("merge-no-open-tasks", "The duplicate still has open tasks; complete them first.");
        return Decision.Accept(
            new IncidentMerged(duplicate.Id, survivor.Id, rationale, now),
            new DuplicateAbsorbed(survivor.Id, duplicate.Id, rationale, now));
    }

    private static Decision? Closed(Incident incident) =>
        incident.Status is IncidentStatus.Closed or IncidentStatus.Dismissed or IncidentStatus.Merged
            ? Decision.Reject("incident-open", $"The incident is {incident.Status} and takes no further work.")
            : null;
}
