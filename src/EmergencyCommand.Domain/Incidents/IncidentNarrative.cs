namespace EmergencyCommand.Domain.Incidents;

/// <summary>One plain sentence per incident fact, for timelines and review reports.</summary>
public static class IncidentNarrative
{
    public static string? Summarize(object @event) => @event switch
    {
        IncidentReported e => $"{e.Category} incident reported via {e.Source} in {e.Jurisdiction}: {e.Title}",
        IncidentVerified e => Join("Verified", e.Note),
        IncidentDismissed e => Join("Dismissed", e.Reason),
        IncidentGraded e => Join($"Graded severity {e.Severity}", e.Rationale),
        TaskDispatched e => $"Task dispatched to {e.Department}, due {e.DueAt}: {e.Instruction}",
        TaskAcknowledged e => $"Task {e.TaskId} acknowledged",
        TaskCompleted e => Join($"Task {e.TaskId} completed", e.Outcome),
        SitrepFiled e => Join($"Sitrep: {e.Dead} dead, {e.Injured} injured, {e.Missing} missing, {e.Affected} affected", e.Note),
        FeedbackGiven e => Join("Feedback given", e.Summary),
        IncidentClosed e => Join("Closed", e.Summary),
        IncidentMerged e => Join($"Merged into incident {e.IntoIncidentId}", e.Rationale),
        DuplicateAbsorbed e => Join($"Duplicate report {e.DuplicateId} merged into this incident", e.Rationale),
        TaskBecameOverdue e => $"Task {e.TaskId} overdue since {e.DueAt}; escalated to {e.EscalatedTo ?? "no commander on record"}",
        _ => null,
    };

    private static string Join(string what, string why) => string.IsNullOrWhiteSpace(why) ? what : $"{what}: {why}";
}
