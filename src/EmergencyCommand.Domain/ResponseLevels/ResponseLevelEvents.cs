using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.ResponseLevels;

/// <summary>
/// Emergency response level: I 特别重大 red, II 重大 orange, III 较大 yellow, IV 一般 blue.
/// I is the most serious. Not the incident grade, not a warning colour.
/// </summary>
public enum ResponseLevel { I = 1, II = 2, III = 3, IV = 4 }

/// <summary>A fact on a jurisdiction's response-level stream.</summary>
public interface IResponseLevelEvent : IDomainEvent
{
    string Jurisdiction { get; }
}

// One stream per jurisdiction. Each change is decided at one instant and takes effect at another
// (announced on the 23rd "from 09:00 on the 24th"); both are facts. Who decided is part of the
// decision itself, so it is kept in the event, not only in its metadata, with the level of the jurisdiction the decider
// acted from (DecidedAtLevel; absent from changes recorded before it was kept).

public sealed record ResponseLevelDeclared(
    string Jurisdiction, ResponseLevel Level, string Rationale, IReadOnlyList<Guid> IncidentIds,
    Instant EffectiveAt, Instant DecidedAt, string DecidedBy, Guid DecisionId, JurisdictionLevel? DecidedAtLevel = null) : IResponseLevelEvent;

public sealed record ResponseLevelEscalated(
    string Jurisdiction, ResponseLevel From, ResponseLevel To, string Rationale, IReadOnlyList<Guid> IncidentIds,
    Instant EffectiveAt, Instant DecidedAt, string DecidedBy, Guid DecisionId, JurisdictionLevel? DecidedAtLevel = null) : IResponseLevelEvent;

public sealed record ResponseLevelDeescalated(
    string Jurisdiction, ResponseLevel From, ResponseLevel To, string Rationale, IReadOnlyList<Guid> IncidentIds,
    Instant EffectiveAt, Instant DecidedAt, string DecidedBy, Guid DecisionId, JurisdictionLevel? DecidedAtLevel = null) : IResponseLevelEvent;

public sealed record ResponseLevelTerminated(
    string Jurisdiction, ResponseLevel From, string Rationale,
    Instant EffectiveAt, Instant DecidedAt, string DecidedBy, Guid DecisionId, JurisdictionLevel? DecidedAtLevel = null) : IResponseLevelEvent;

/// <summary>
/// A change scheduled to take effect later, withdrawn by a commander above the one who scheduled it: the level in force
/// before it stays. The scheduled decision remains in the log; this records who set it aside, and why.
/// </summary>
public sealed record ScheduledChangeSuperseded(
    string Jurisdiction, Guid SupersededDecisionId, string ScheduledBy, Instant ScheduledFor, string Rationale,
    Instant DecidedAt, string DecidedBy, Guid DecisionId) : IResponseLevelEvent;
