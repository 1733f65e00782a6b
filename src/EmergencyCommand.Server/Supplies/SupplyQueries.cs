using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Marten;
using Marten.Linq.MatchesSql;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record StockView(string Item, long OnHand, long Reserved, long Available);

public sealed record DepotView(Guid Id, long Version, string Name, string Jurisdiction, IReadOnlyList<StockView> Stock);

/// <param name="ShortOnDelivery">Allocated and sent, but never received: counted in <c>outstanding</c> again.</param>
public sealed record RequestLineView(string Item, long Requested, long Allocated, long Delivered, long Outstanding, long ShortOnDelivery);

public sealed record AllocationView(Guid Id, Guid DepotId, AllocationStatus Status, IReadOnlyList<SupplyLine> Lines, bool DepartsFromPlan);

public sealed record SupplyRequestView(
    Guid Id, long Version, RequestStatus Status, Priority Priority, string Requester, string Jurisdiction, Instant NeededBy,
    Instant RequestedAt, IReadOnlyList<RequestLineView> Lines, IReadOnlyList<AllocationView> Allocations);

public static class SupplyQueries
{
    [WolverineGet("/api/depots/{id:guid}", OperationId = "GetDepot")]
    public static async Task<DepotView> GetDepot(Guid id, string? asOf, Reader reader, IQuerySession session, CancellationToken ct)
    {
        var (depot, version) = await StreamReads.Replay(session, reader, id, asOf, Depot.Replay, "Depot", ct);
        return ToView(depot, version);
    }

    [WolverineGet("/api/depots", OperationId = "ListDepots")]
    public static async Task<IReadOnlyList<DepotView>> ListDepots(string? asOf, Reader reader, IQuerySession session, CancellationToken ct)
    {
        var depots = await reader.Scope.Filter(session.Query<Depot>(), d => d.Jurisdiction).OrderBy(d => d.Name).Take(1000).ToListAsync(ct);
        return (await StreamReads.List(session, depots, d => d.Id, QueryValues.AsOf(asOf), Depot.Replay, ct)).Select(d => ToView(d.State, d.Version)).ToList();
    }

    [WolverineGet("/api/supply-requests/{id:guid}", OperationId = "GetSupplyRequest")]
    public static async Task<SupplyRequestView> GetRequest(Guid id, string? asOf, Reader reader, IQuerySession session, CancellationToken ct)
    {
        var (request, version) = await StreamReads.Replay(session, reader, id, asOf, SupplyRequest.Replay, "Supply request", ct);
        return ToView(request, version);
    }

    /// <summary>
    /// Supply requests, the newest filed first, now or as they stood at <c>?asOf=</c>, a page at a time (<c>offset</c>,
    /// <c>limit</c> up to 2,000; the total that match is in <c>X-Total-Count</c>). Now, <c>status</c> is filtered in the
    /// database, so the open requests are found however many were filed before them; as of an instant, the status then
    /// decides, over every request filed by then (up to <see cref="StreamReads.MostReplayedAsOf"/>, else a 400).
    /// </summary>
    [WolverineGet("/api/supply-requests", OperationId = "ListSupplyRequests")]
    public static async Task<IReadOnlyList<SupplyRequestView>> ListRequests(string? status, string? offset, string? limit, string? asOf, Reader reader,
        HttpResponse response, IQuerySession session, CancellationToken ct)
    {
        var wanted = QueryValues.Enum<RequestStatus>(status, "status");
        var page = Paging.Parse(offset, limit, 2000);
        var at = QueryValues.AsOf(asOf);
        var query = reader.Scope.Filter(session.Query<SupplyRequest>(), r => r.Jurisdiction);
        if (at is null)
        {
            if (wanted is not null) query = query.Where(r => r.Status == wanted);
            Paging.Total(response, await query.CountAsync(ct));
            // Ids are version-7 GUIDs, made at filing: their order is the order of filing.
            var newest = await page.Of(query.OrderByDescending(r => r.Id)).ToListAsync(ct);
            return (await StreamReads.List(session, newest, r => r.Id, null, SupplyRequest.Replay, ct)).Select(r => ToView(r.State, r.Version)).ToList();
        }
        query = query.Where(r => r.MatchesSql("(data ->> 'requestedAt')::timestamptz <= ?", at.Value.ToDateTimeOffset()));
        if (wanted is null)
        {
            // Every request filed by then is in the list as of then: the page and the total are the database's.
            Paging.Total(response, await query.CountAsync(ct));
            var filedByThen = await page.Of(query.OrderByDescending(r => r.Id)).ToListAsync(ct);
            return (await StreamReads.List(session, filedByThen, r => r.Id, at, SupplyRequest.Replay, ct)).Select(r => ToView(r.State, r.Version)).ToList();
        }
        // As of then, the status then decides: every request filed by then is rebuilt as it stood.
        var (matched, total) = await StreamReads.MatchingThen(session, query.OrderByDescending(r => r.Id), r => r.Id, at.Value, SupplyRequest.Replay,
            r => r.Status == wanted, page, "supply requests", ct);
        Paging.Total(response, total);
        return matched.Select(r => ToView(r.Then, r.Version)).ToList();
    }

    private static DepotView ToView(Depot d, long version) => new(d.Id, version, d.Name, d.Jurisdiction,
        d.Stock.Values.OrderBy(s => s.Item, StringComparer.Ordinal).Select(s => new StockView(s.Item, s.OnHand, s.Reserved, s.Available)).ToList());

    private static SupplyRequestView ToView(SupplyRequest r, long version) => new(r.Id, version, r.Status, r.Priority, r.Requester,
        r.Jurisdiction, r.NeededBy, r.RequestedAt,
        r.Lines.Select(l => new RequestLineView(l.Item, l.Requested, l.Allocated, l.Delivered, l.Outstanding, l.ShortOnDelivery)).ToList(),
        r.Allocations.Select(a => new AllocationView(a.Id, a.DepotId, a.Status, a.Lines, a.DepartsFromPlan)).ToList());
}
