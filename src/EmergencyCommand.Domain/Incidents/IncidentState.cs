using System.Collections.Immutable;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Incidents;

public enum IncidentStatus { Reported, Verified, Dismissed, Closed, Merged }

public enum ResponseTaskStatus { Dispatched, Acknowledged, Completed, Overdue }

public sealed record ResponseTask(Guid Id, string Department, string Instruction, Instant DueAt, ResponseTaskStatus Status)
{
    public bool IsOpen => Status != ResponseTaskStatus.Completed;
}

public sealed record Sitrep(int Dead, int Injured, int Missing, int Affected, string Note, Instant FiledAt);

/// <summary>An incident as its events left it. Built only by <see cref="Evolve"/>.</summary>
public sealed record Incident(
    Guid Id,
    IncidentStatus Status,
    IncidentCategory Category,
    string Title,
    string Description,
    string Jurisdiction,
    GeoPoint Location,
    ReportSource Source,
    Instant OccurredAt,
    Instant ReportedAt,
    Severity? Severity,
    ImmutableList<ResponseTask> Tasks,
    Sitrep? LatestSitrep,
    int FeedbackCount,
    Guid? MergedInto = null,
    ImmutableList<Guid>? Duplicates = null,
    string? ReportedBy = null,
    string? FeedbackWaiver = null) : IJurisdictional
{
    public ResponseTask? Task(Guid taskId) => Tasks.Find(t => t.Id == taskId);

    public static Incident? Evolve(Incident? state, object @event) => (state, @event) switch
    {
        (null, IncidentReported e) => new Incident(
            e.IncidentId, IncidentStatus.Reported, e.Category, e.Title, e.Description, e.Jurisdiction, e.Location,
            e.Source, e.OccurredAt, e.ReportedAt, null, [], null, 0),
        (null, _) => null,
        (_, IncidentVerified) => state with { Status = IncidentStatus.Verified },
        (_, IncidentDismissed) => state with { Status = IncidentStatus.Dismissed },
        (_, IncidentGraded e) => state with { Severity = e.Severity },
        (_, TaskDispatched e) => state with
        {
            Tasks = state.Tasks.Add(new ResponseTask(e.TaskId, e.Department, e.Instruction, e.DueAt, ResponseTaskStatus.Dispatched)),
        },
        (_, TaskAcknowledged e) => state.WithTask(e.TaskId, ResponseTaskStatus.Acknowledged),
        (_, TaskCompleted e) => state.WithTask(e.TaskId, ResponseTaskStatus.Completed),
        (_, TaskBecameOverdue e) => state.WithTask(e.TaskId, ResponseTaskStatus.Overdue),
        (_, SitrepFiled e) => state with { LatestSitrep = new Sitrep(e.Dead, e.Injured, e.Missing, e.Affected, e.Note, e.FiledAt) },
        (_, FeedbackGiven) => state with { FeedbackCount = state.FeedbackCount + 1 },
        (_, IncidentClosed e) => state with { Status = IncidentStatus.Closed, FeedbackWaiver = e.FeedbackWaiver },
        (_, IncidentMerged e) => state with { Status = IncidentStatus.Merged, MergedInto = e.IntoIncidentId },
        (_, DuplicateAbsorbed e) => state with { Duplicates = (state.Duplicates ?? []).Add(e.DuplicateId) },
        _ => state,
    };

    public static Incident? Replay(IEnumerable<object> events) => events.Aggregate((Incident?)null, Evolve);

    private Incident WithTask(Guid taskId, ResponseTaskStatus status) =>
        this with { Tasks = Tasks.Select(t => t.Id == taskId ? t with { Status = status } : t).ToImmutableList() };
}
