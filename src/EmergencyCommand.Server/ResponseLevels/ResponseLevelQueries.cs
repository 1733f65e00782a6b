using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.ResponseLevels;

public sealed record LevelHistoryEntry(
    ResponseLevel? Level, Instant From, Instant? To, Instant DecidedAt, string DecidedBy, string Rationale, Guid DecisionId,
    IReadOnlyList<Guid> IncidentIds, JurisdictionLevel? DecidedAtLevel = null)
{
    public LevelPeriod AsPeriod() => new(Level, From, To, DecidedAt, DecidedBy, Rationale, DecisionId, IncidentIds, DecidedAtLevel);
}

public sealed record ResponseLevelView(
    string Jurisdiction, string? Name, string? NameEn, ResponseLevel? Level, string? Colour, Instant? Since, string? DeclaredBy,
    long Version, ResponseLevel? Decided, IReadOnlyList<LevelHistoryEntry> History);

public static class ResponseLevelQueries
{
    /// <summary>The level in force at <c>asOf</c> (default now), from the decisions recorded by then, with the full history.</summary>
    [WolverineGet("/api/jurisdictions/{code}/response-level", OperationId = "GetResponseLevel")]
    public static async Task<ResponseLevelView> Get(string code, string? asOf, IQuerySession session, IClock clock, CancellationToken ct)
    {
        QueryValues.Jurisdiction(code, "code");
        var at = QueryValues.AsOf(asOf);
        var events = await session.Events.FetchStreamAsync(JurisdictionResponseProjection.StreamId(code), timestamp: at?.ToDateTimeOffset(), token: ct);
        var state = JurisdictionResponse.Replay(events.Select(e => e.Data));
        var inForce = state?.InForce(at ?? clock.GetCurrentInstant());
        return new ResponseLevelView(code, DivisionNames.ChineseName(code), DivisionNames.EnglishName(code),
            inForce?.Level, Colour(inForce?.Level), inForce?.From, inForce?.DecidedBy,
            events.Count == 0 ? 0 : events[^1].Version, state?.Decided,
            state?.History.Select(p => new LevelHistoryEntry(p.Level, p.From, p.To, p.DecidedAt, p.DecidedBy, p.Rationale, p.DecisionId, p.IncidentIds,
                p.DecidedAtLevel)).ToList() ?? []);
    }

    public static string? Colour(ResponseLevel? level) => level switch
    {
        ResponseLevel.I => "red",
        ResponseLevel.II => "orange",
        ResponseLevel.III => "yellow",
        ResponseLevel.IV => "blue",
        _ => null,
    };
}
