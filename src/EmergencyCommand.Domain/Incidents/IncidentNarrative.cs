using EmergencyCommand.Domain.Shared;
using static EmergencyCommand.Domain.Shared.Narrative;

namespace EmergencyCommand.Domain.Incidents;

/// <summary>One plain sentence per incident fact, for timelines and review reports, and the reason given with it.</summary>
public static class IncidentNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<IncidentReported>(e => $"{e.Category} incident reported via {e.Source} in {e.Jurisdiction}: {e.Title}")
        .On<IncidentVerified>(e => Join("Verified", e.Note), e => e.Note)
        .On<IncidentDismissed>(e => Join("Dismissed", e.Reason), e => e.Reason)
        .On<IncidentGraded>(e => Join($"Graded severity {e.Severity}", e.Rationale), e => e.Rationale)
        .On<TaskDispatched>(e => $"Task dispatched to {e.Department}, due {CommandTime.Said(e.DueAt)}: {e.Instruction}")
        .On<TaskAcknowledged>(e => $"Task {e.TaskId} acknowledged")
        .On<TaskCompleted>(e => Join($"Task {e.TaskId} completed", e.Outcome), e => e.Outcome)
        .On<SitrepFiled>(e => Join($"Sitrep: {e.Dead} dead, {e.Injured} injured, {e.Missing} missing, {e.Affected} affected", e.Note), e => e.Note)
        .On<FeedbackGiven>(e => Join("Feedback given", e.Summary), e => e.Summary)
        .On<IncidentClosed>(e => Join(e.FeedbackWaiver is null ? "Closed" : $"Closed without feedback ({e.FeedbackWaiver})", e.Summary), e => e.Summary)
        .On<IncidentMerged>(e => Join($"Merged into incident {e.IntoIncidentId}", e.Rationale), e => e.Rationale)
        .On<DuplicateAbsorbed>(e => Join($"Duplicate report {e.DuplicateId} merged into this incident", e.Rationale), e => e.Rationale)
        .On<TaskBecameOverdue>(e => $"Task {e.TaskId} overdue since {CommandTime.Said(e.DueAt)}; escalated to {e.EscalatedTo ?? "no commander on record"}");
}
