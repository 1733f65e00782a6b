using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record StockView(string Item, long OnHand, long Reserved, long Available);

public sealed record DepotView(Guid Id, long Version, string Name, string Jurisdiction, IReadOnlyList<StockView> Stock);

public sealed record RequestLineView(string Item, long Requested, long Allocated, long Delivered, long Outstanding);

public sealed record AllocationView(Guid Id, Guid DepotId, AllocationStatus Status, IReadOnlyList<SupplyLine> Lines, bool DepartsFromPlan);

public sealed record SupplyRequestView(
    Guid Id, long Version, RequestStatus Status, Priority Priority, string Requester, string Jurisdiction, Instant NeededBy,
    Instant RequestedAt, IReadOnlyList<RequestLineView> Lines, IReadOnlyList<AllocationView> Allocations);

public static class SupplyQueries
{
    [WolverineGet("/api/depots/{id:guid}", OperationId = "GetDepot")]
    public static async Task<DepotView> GetDepot(Guid id, string? asOf, IQuerySession session, CancellationToken ct)
    {
        var (depot, version) = await StreamReads.Replay(session, id, asOf, Depot.Replay, "Depot", ct);
        return ToView(depot, version);
    }

    [WolverineGet("/api/depots", OperationId = "ListDepots")]
    public static async Task<IReadOnlyList<DepotView>> ListDepots(string? asOf, IQuerySession session, CancellationToken ct) =>
        (await AllDepots(session, QueryValues.AsOf(asOf), ct)).Select(d => ToView(d.State, d.Version)).ToList();

    public static async Task<IReadOnlyList<(Depot State, long Version)>> AllDepots(IQuerySession session, Instant? at, CancellationToken ct) =>
        await StreamReads.List(session, await session.Query<Depot>().OrderBy(d => d.Name).Take(1000).ToListAsync(ct), d => d.Id, at, Depot.Replay, ct);

    [WolverineGet("/api/supply-requests/{id:guid}", OperationId = "GetSupplyRequest")]
    public static async Task<SupplyRequestView> GetRequest(Guid id, string? asOf, IQuerySession session, CancellationToken ct)
    {
        var (request, version) = await StreamReads.Replay(session, id, asOf, SupplyRequest.Replay, "Supply request", ct);
        return ToView(request, version);
    }

    [WolverineGet("/api/supply-requests", OperationId = "ListSupplyRequests")]
    public static async Task<IReadOnlyList<SupplyRequestView>> ListRequests(string? status, string? asOf, IQuerySession session, CancellationToken ct)
    {
        var wanted = QueryValues.Enum<RequestStatus>(status, "status");
        var requests = await AllRequests(session, QueryValues.AsOf(asOf), ct);
        return requests.Where(r => wanted is null || r.State.Status == wanted).Select(r => ToView(r.State, r.Version)).ToList();
    }

    public static async Task<IReadOnlyList<(SupplyRequest State, long Version)>> AllRequests(IQuerySession session, Instant? at, CancellationToken ct) =>
        await StreamReads.List(session, await session.Query<SupplyRequest>().OrderBy(r => r.RequestedAt).Take(2000).ToListAsync(ct),
            r => r.Id, at, SupplyRequest.Replay, ct);

    private static DepotView ToView(Depot d, long version) => new(d.Id, version, d.Name, d.Jurisdiction,
        d.Stock.Values.Select(s => new StockView(s.Item, s.OnHand, s.Reserved, s.Available)).ToList());

    private static SupplyRequestView ToView(SupplyRequest r, long version) => new(r.Id, version, r.Status, r.Priority, r.Requester,
        r.Jurisdiction, r.NeededBy, r.RequestedAt,
        r.Lines.Select(l => new RequestLineView(l.Item, l.Requested, l.Allocated, l.Delivered, l.Outstanding)).ToList(),
        r.Allocations.Select(a => new AllocationView(a.Id, a.DepotId, a.Status, a.Lines, a.DepartsFromPlan)).ToList());
}
