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
        var current = state?.Decided;
        if (AuthorityRefusal(actor, jurisdiction, current is { } c && c < level ? c : level) is { } refusal)
            return Decision.Forbid("level-authority", refusal);
        if (current == level)
            return Decision.Reject("level-changes", $"Level {level} is already decided for {jurisdiction}.");
        if (state?.LastEffectiveAt is { } last && effective < last)
            return Decision.Reject("effective-in-order",
                $"The change cannot take effect at {effective}, before the last change to {jurisdiction} took effect ({last}).");

        object decided = current switch
        {
            null => new ResponseLevelDeclared(jurisdiction, level, rationale, incidentIds, effective, now, actor.UserName, decisionId),
            var from when level < from => new ResponseLevelEscalated(jurisdiction, from.Value, level, rationale, incidentIds, effective, now, actor.UserName, decisionId),
            var from => new ResponseLevelDeescalated(jurisdiction, from.Value, level, rationale, incidentIds, effective, now, actor.UserName, decisionId),
        };
        return Decision.Accept(decided);
    }

    public static Decision Terminate(JurisdictionResponse? state, string jurisdiction, string rationale, Instant? effectiveAt,
        Actor actor, Guid decisionId, Instant now)
    {
        if (state?.Decided is not { } current)
            return Decision.Reject("terminate-active", $"No response level is active for {jurisdiction}.");
        if (AuthorityRefusal(actor, jurisdiction, current) is { } refusal)
            return Decision.Forbid("level-authority", refusal);
        var effective = effectiveAt ?? now;
        if (state.LastEffectiveAt is { } last && effective < last)
            return Decision.Reject("effective-in-order", $"The termination cannot take effect before the last change took effect ({last}).");
        return Decision.Accept(new ResponseLevelTerminated(jurisdiction, current, rationale, effective, now, actor.UserName, decisionId));
    }
}
