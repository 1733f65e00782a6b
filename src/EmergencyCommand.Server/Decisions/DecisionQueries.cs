using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Server.Platform;
using EmergencyCommand.Server.Situation;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Decisions;

public sealed record DecisionSummary(
    Guid Id, string Type, Guid StreamId, string DecidedBy, string[] Roles, string[] DeciderJurisdictions, string? Jurisdiction,
    string? Rationale, Instant DecidedAt, long Sequence, bool DepartsFromPlan)
{
    public static DecisionSummary From(DecisionRecord r) =>
        new(r.Id, r.Type, r.StreamId, r.DecidedBy, r.Roles, r.DeciderJurisdictions, r.Jurisdiction, r.Rationale, r.DecidedAt, r.Sequence,
            r.DepartsFromPlan);
}

public sealed record DecisionDetail(
    Guid Id, string Type, Guid StreamId, string DecidedBy, string[] Roles, string[] DeciderJurisdictions, string? Jurisdiction,
    string? Rationale, Instant DecidedAt, long Sequence, bool DepartsFromPlan, string? CorrelationId, IReadOnlyList<DecisionEvent> Events,
    SituationBoard KnownSituation);

public static class DecisionQueries
{
    /// <summary>
    /// Decisions in the order they were recorded (<c>order=newest</c>: the latest first), a page at a time (<c>offset</c>,
    /// <c>limit</c> up to 5,000, the default; the total that match is in <c>X-Total-Count</c>, so a review knows when there
    /// is more than one page).
    /// </summary>
    [WolverineGet("/api/decisions", OperationId = "ListDecisions")]
    public static async Task<IReadOnlyList<DecisionSummary>> List(string? jurisdiction, string? actor, string? from, string? to,
        string? offset, string? limit, string? order, Reader reader, HttpResponse response, IQuerySession session, CancellationToken ct)
    {
        var newestFirst = order?.Trim().ToLowerInvariant() switch
        {
            null or "" or "oldest" => false,
            "newest" => true,
            _ => throw ProblemException.Invalid("order", "must be oldest (the default) or newest"),
        };
        var scope = reader.Within(jurisdiction);
        var window = TimeWindow.Parse(from, to);
        var page = Paging.Parse(offset, limit, 5000, furthest: 10_000_000);
        var query = window.Filter(scope.Filter(session.Query<DecisionRecord>(), d => d.Jurisdiction), d => d.DecidedAtUtc);
        if (!string.IsNullOrWhiteSpace(actor)) query = query.Where(d => d.DecidedBy == actor);
        if (!reader.SeesAccounts) query = query.Where(d => !d.Type.IsOneOf(Identity.AccountFacts.Names));
        Paging.Total(response, await query.CountAsync(ct));
        var records = await page.Of(newestFirst ? query.OrderByDescending(d => d.Sequence) : query.OrderBy(d => d.Sequence)).ToListAsync(ct);
        return records.Select(DecisionSummary.From).ToList();
    }

    /// <summary>
    /// One decision with what its decider could see: the board over the decider's jurisdiction, rebuilt from
    /// every event committed before the decision's first event.
    /// </summary>
    /// <remarks><c>?jurisdiction=</c> narrows the board to one part of what the decider could see.</remarks>
    [WolverineGet("/api/decisions/{id:guid}", OperationId = "GetDecision")]
    public static async Task<DecisionDetail> Get(Guid id, string? jurisdiction, Reader reader, IQuerySession session, SituationReader history,
        CancellationToken ct)
    {
        var narrowed = QueryValues.Jurisdiction(jurisdiction);
        var r = await session.LoadAsync<DecisionRecord>(id, ct);
        if (r is null || !reader.Sees(r.Jurisdiction ?? Jurisdictions.Nation) || !reader.SeesAccounts && Identity.AccountFacts.Names.Contains(r.Type))
            throw ProblemException.NotFound($"Decision {id}");
        var before = await history.Before(r.Sequence, ct);
        // What the decider could see (their own need-to-know), and of that what this reader may see.
        var seen = Scope.Of(r.DeciderJurisdictions).Intersect(reader.Scope);
        var titled = narrowed ?? (r.DeciderJurisdictions.Length == 1 ? r.DeciderJurisdictions[0] : Jurisdictions.Nation);
        var known = SituationBoard.Of(before, titled, r.DecidedAt, (narrowed is null ? seen : seen.Intersect(Scope.Of(narrowed))).Roots);
        return new DecisionDetail(r.Id, r.Type, r.StreamId, r.DecidedBy, r.Roles, r.DeciderJurisdictions, r.Jurisdiction, r.Rationale,
            r.DecidedAt, r.Sequence, r.DepartsFromPlan, r.CorrelationId, r.Events.OrderBy(e => e.Sequence).ToList(), known);
    }
}
