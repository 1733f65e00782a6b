using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Incidents;

public enum IncidentCategory { PublicHealth, NaturalDisaster, Accident, SocialSecurity }

public enum ReportSource { Hotline, GridWorker, Hospital, Sensor, Department }

/// <summary>Incident grade: I particularly serious … IV general. Not the response level, not a warning colour.</summary>
public enum Severity { I, II, III, IV }

public sealed record GeoPoint(double Latitude, double Longitude);

/// <summary>A fact on an incident's own stream.</summary>
public interface IIncidentEvent : IDomainEvent
{
    Guid IncidentId { get; }
}

// The closed loop, as facts: report → verify or dismiss → grade → dispatch → acknowledge → complete
// → sitreps → feedback → close. Each fact carries the instant it was recorded; who recorded it
// travels in the event's metadata.

public sealed record IncidentReported(
    Guid IncidentId,
    IncidentCategory Category,
    string Title,
    string Description,
    string Jurisdiction,
    GeoPoint Location,
    Instant OccurredAt,
    ReportSource Source,
    Instant ReportedAt) : IIncidentEvent;

public sealed record IncidentVerified(Guid IncidentId, string Note, Instant VerifiedAt) : IIncidentEvent;

public sealed record IncidentDismissed(Guid IncidentId, string Reason, Instant DismissedAt) : IIncidentEvent;

public sealed record IncidentGraded(Guid IncidentId, Severity Severity, string Rationale, Instant GradedAt) : IIncidentEvent;

public sealed record TaskDispatched(
    Guid IncidentId,
    Guid TaskId,
    string Department,
    string Instruction,
    Instant DueAt,
    Instant DispatchedAt) : IIncidentEvent;

public sealed record TaskAcknowledged(Guid IncidentId, Guid TaskId, Instant AcknowledgedAt) : IIncidentEvent;

public sealed record TaskCompleted(Guid IncidentId, Guid TaskId, string Outcome, Instant CompletedAt) : IIncidentEvent;

public sealed record SitrepFiled(
    Guid IncidentId,
    int Dead,
    int Injured,
    int Missing,
    int Affected,
    string Note,
    Instant FiledAt) : IIncidentEvent;

public sealed record FeedbackGiven(Guid IncidentId, string Summary, Instant GivenAt) : IIncidentEvent;

/// <param name="FeedbackWaiver">Why no feedback was owed, when the incident closed without any (null when feedback was given,
/// and in closures recorded before feedback was required).</param>
public sealed record IncidentClosed(Guid IncidentId, string Summary, Instant ClosedAt, string? FeedbackWaiver = null) : IIncidentEvent;

/// <summary>A task still only dispatched when its deadline came: it is overdue, and the commander named is told.</summary>
public sealed record TaskBecameOverdue(Guid IncidentId, Guid TaskId, Instant DueAt, string? EscalatedTo, Instant At) : IIncidentEvent;

/// <summary>This report duplicates another incident: it stops taking commands and points to the survivor.</summary>
public sealed record IncidentMerged(Guid IncidentId, Guid IntoIncidentId, string Rationale, Instant MergedAt) : IIncidentEvent;

/// <summary>The survivor's side of a merge, so its own timeline shows what joined it.</summary>
public sealed record DuplicateAbsorbed(Guid IncidentId, Guid DuplicateId, string Rationale, Instant MergedAt) : IIncidentEvent;
