using System.Collections.Immutable;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.ResponseLevels;

/// <summary>One step of a jurisdiction's level history: <c>Level</c> is null for "no level" (after a termination).</summary>
public sealed record LevelPeriod(
    ResponseLevel? Level, Instant From, Instant? To, Instant DecidedAt, string DecidedBy, string Rationale, Guid DecisionId,
    IReadOnlyList<Guid> IncidentIds, JurisdictionLevel? DecidedAtLevel = null);

/// <summary>A jurisdiction's response level as its decisions left it. <c>Id</c> is the stream's, set by the store.</summary>
public sealed record JurisdictionResponse(Guid Id, string Jurisdiction, ImmutableList<LevelPeriod> History) : IJurisdictional
{
    /// <summary>The last decided level, whether or not it has taken effect yet.</summary>
    public ResponseLevel? Decided => History.IsEmpty ? null : History[^1].Level;

    /// <summary>When the last decided change takes (or took) effect.</summary>
    public Instant? LastEffectiveAt => History.IsEmpty ? null : History[^1].From;

    /// <summary>The last change, when it is still to take effect at <paramref name="now"/>.</summary>
    public LevelPeriod? Scheduled(Instant now) => History.IsEmpty || History[^1].From <= now ? null : History[^1];

    /// <summary>When the next change after <paramref name="after"/> takes effect (the earliest of those scheduled), if any is waiting.</summary>
    public Instant? NextChangeAfter(Instant after) => History.Where(p => p.From > after).Select(p => (Instant?)p.From).Min();

    /// <summary>The period in force at <paramref name="at"/>, if any level was.</summary>
    public LevelPeriod? InForce(Instant at) =>
        History.LastOrDefault(p => p.From <= at && (p.To is null || p.To > at)) is { Level: not null } period ? period : null;

    public static JurisdictionResponse? Evolve(JurisdictionResponse? state, object @event) => @event switch
    {
        ResponseLevelDeclared e => Next(state, e.Jurisdiction, new LevelPeriod(e.Level, e.EffectiveAt, null, e.DecidedAt, e.DecidedBy, e.Rationale, e.DecisionId, e.IncidentIds,
            e.DecidedAtLevel)),
        ResponseLevelEscalated e => Next(state, e.Jurisdiction, new LevelPeriod(e.To, e.EffectiveAt, null, e.DecidedAt, e.DecidedBy, e.Rationale, e.DecisionId, e.IncidentIds,
            e.DecidedAtLevel)),
        ResponseLevelDeescalated e => Next(state, e.Jurisdiction, new LevelPeriod(e.To, e.EffectiveAt, null, e.DecidedAt, e.DecidedBy, e.Rationale, e.DecisionId, e.IncidentIds,
            e.DecidedAtLevel)),
        ResponseLevelTerminated e => Next(state, e.Jurisdiction, new LevelPeriod(null, e.EffectiveAt, null, e.DecidedAt, e.DecidedBy, e.Rationale, e.DecisionId, [],
            e.DecidedAtLevel)),
        ScheduledChangeSuperseded e when state?.History is { IsEmpty: false } history && history[^1].DecisionId == e.SupersededDecisionId =>
            state with { History = Withdrawn(history) },
        _ => state,
    };

    /// <summary>The history without its last change: the one before it is open-ended again.</summary>
    private static ImmutableList<LevelPeriod> Withdrawn(ImmutableList<LevelPeriod> history)
    {
        var rest = history.RemoveAt(history.Count - 1);
        return rest.IsEmpty ? rest : rest.SetItem(rest.Count - 1, rest[^1] with { To = null });
    }

    public static JurisdictionResponse? Replay(IEnumerable<object> events) => events.Aggregate((JurisdictionResponse?)null, Evolve);

    private static JurisdictionResponse Next(JurisdictionResponse? state, string jurisdiction, LevelPeriod period)
    {
        var history = state?.History ?? [];
        if (!history.IsEmpty) history = history.SetItem(history.Count - 1, history[^1] with { To = period.From });
        return new JurisdictionResponse(state?.Id ?? Guid.Empty, jurisdiction, history.Add(period));
    }
}
