using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.ResponseLevels;

/// <summary>Declare → escalate or de-escalate (levels may be skipped) → terminate, within the decider's authority.</summary>
public static class ResponseLevelDecisions
{
    /// <summary>
    /// Levels I and II are for commanders at province level or above, level III for city level or above,
    /// level IV for any commander whose jurisdiction covers the target.
    /// </summary>
    public static JurisdictionLevel LowestAuthorityFor(ResponseLevel level) => level switch
    {
        ResponseLevel.I or ResponseLevel.II => JurisdictionLevel.Province,
        ResponseLevel.III => JurisdictionLevel.City,
        _ => JurisdictionLevel.County,
    };

    /// <summary>Null when <paramref name="actor"/> may decide on <paramref name="level"/> in <paramref name="jurisdiction"/>; otherwise why not (403).</summary>
    public static string? AuthorityRefusal(Actor actor, string jurisdiction, ResponseLevel level)
    {
        var held = actor.HighestLevelCovering(jurisdiction);
        var needed = LowestAuthorityFor(level);
        return held is null || held > needed
            ? $"Level {level} needs a commander at {needed} level or above covering {jurisdiction}; {actor.UserName} holds {held?.ToString() ?? "no covering jurisdiction"}."
            : null;
    }

    public static Decision Set(JurisdictionResponse? state, string jurisdiction, ResponseLevel level, string rationale,
        IReadOnlyList<Guid> incidentIds, Instant? effectiveAt, Actor actor, Guid decisionId, Instant now)
    {
        var effective = effectiveAt ?? now;
        var superseded = SupersedingFirst(ref state, jurisdiction, effective, rationale, actor, decisionId, now);
        var current = state?.Decided;
        if (AuthorityRefusal(actor, jurisdiction, current is { } c && c < level ? c : level) is { } refusal)
            return Decision.Forbid("level-authority", refusal);
        if (current == level)
            return Decision.Reject("level-changes", $"Level {level} is already decided for {jurisdiction}.");
        if (OutOfOrder(state, effective, now) is { } problem) return problem;

        var at = actor.HighestLevelCovering(jurisdiction);
        object decided = current switch
        {
            null => new ResponseLevelDeclared(jurisdiction, level, rationale, incidentIds, effective, now, actor.UserName, decisionId, at),
            var from when level < from => new ResponseLevelEscalated(jurisdiction, from.Value, level, rationale, incidentIds, effective, now, actor.UserName, decisionId, at),
            var from => new ResponseLevelDeescalated(jurisdiction, from.Value, level, rationale, incidentIds, effective, now, actor.UserName, decisionId, at),
        };
        return Decision.Accept([.. superseded, decided]);
    }

    public static Decision Terminate(JurisdictionResponse? state, string jurisdiction, string rationale, Instant? effectiveAt,
        Actor actor, Guid decisionId, Instant now)
    {
        var effective = effectiveAt ?? now;
        var superseded = SupersedingFirst(ref state, jurisdiction, effective, rationale, actor, decisionId, now);
        if (state?.Decided is not { } current)
            return Decision.Reject("terminate-active", $"No response level is active for {jurisdiction}.");
        if (AuthorityRefusal(actor, jurisdiction, current) is { } refusal)
            return Decision.Forbid("level-authority", refusal);
        if (OutOfOrder(state, effective, now) is { } problem) return problem;
        var terminated = new ResponseLevelTerminated(jurisdiction, current, rationale, effective, now, actor.UserName, decisionId,
            actor.HighestLevelCovering(jurisdiction));
        return Decision.Accept([.. superseded, terminated]);
    }

    /// <summary>Withdraws the change scheduled for later, by a commander above the one who scheduled it.</summary>
    public static Decision Supersede(JurisdictionResponse? state, string jurisdiction, string rationale, Actor actor, Guid decisionId, Instant now)
    {
        if (state?.Scheduled(now) is not { } scheduled)
            return Decision.Reject("supersede-scheduled", $"No change to {jurisdiction} is waiting to take effect.");
        if (SupersedingRefusal(actor, jurisdiction, scheduled) is { } refusal)
            return Decision.Forbid("supersede-authority", refusal);
        return Decision.Accept(Superseded(jurisdiction, scheduled, rationale, actor, decisionId, now));
    }

    /// <summary>
    /// Null when <paramref name="actor"/> is a commander above the one who scheduled <paramref name="scheduled"/>: their
    /// highest jurisdiction covering the target is of a higher level than the one it was decided from (for a change
    /// recorded before that was kept, than the target's own level).
    /// </summary>
    public static string? SupersedingRefusal(Actor actor, string jurisdiction, LevelPeriod scheduled)
    {
        var held = actor.HighestLevelCovering(jurisdiction);
        var scheduledFrom = scheduled.DecidedAtLevel ?? Jurisdictions.LevelOf(jurisdiction);
        return held is { } h && h < scheduledFrom
            ? null
            : $"The change for {CommandTime.Said(scheduled.From)} was scheduled by {scheduled.DecidedBy} at {scheduledFrom} level; only a commander above that level covering {jurisdiction} may supersede it.";
    }

    /// <summary>
    /// A change that would take effect before changes scheduled for later supersedes them first, the latest first, as
    /// long as its decider may supersede each; the state is then the one without them. Where one may not be superseded,
    /// it stays, and the change is refused as out of order.
    /// </summary>
    private static IReadOnlyList<ScheduledChangeSuperseded> SupersedingFirst(ref JurisdictionResponse? state, string jurisdiction, Instant effective,
        string rationale, Actor actor, Guid decisionId, Instant now)
    {
        var superseded = new List<ScheduledChangeSuperseded>();
        while (state?.Scheduled(now) is { } scheduled && effective < scheduled.From && SupersedingRefusal(actor, jurisdiction, scheduled) is null)
        {
            var withdrawn = Superseded(jurisdiction, scheduled, rationale, actor, decisionId, now);
            state = JurisdictionResponse.Evolve(state, withdrawn);
            superseded.Add(withdrawn);
        }
        return superseded;
    }

    private static ScheduledChangeSuperseded Superseded(string jurisdiction, LevelPeriod scheduled, string rationale, Actor actor, Guid decisionId,
        Instant now) =>
        new(jurisdiction, scheduled.DecisionId, scheduled.DecidedBy, scheduled.From, rationale, now, actor.UserName, decisionId);

    private static Decision? OutOfOrder(JurisdictionResponse? state, Instant effective, Instant now) =>
        state?.LastEffectiveAt is { } last && effective < last
            ? Decision.Reject("effective-in-order", state.Scheduled(now) is { } scheduled
                ? $"The change cannot take effect at {CommandTime.Said(effective)}, before the change {scheduled.DecidedBy} scheduled for {CommandTime.Said(last)}; a commander above them may supersede it."
                : $"The change cannot take effect at {CommandTime.Said(effective)}, before the last change to {state.Jurisdiction} took effect ({CommandTime.Said(last)}).")
            : null;
}
