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

    [WolverineGet("/api/supply-requests", OperationId = "ListSupplyRequests")]
    public static async Task<IReadOnlyList<SupplyRequestView>> ListRequests(string? status, string? asOf, Reader reader, IQuerySession session,
        CancellationToken ct)
    {
        var wanted = QueryValues.Enum<RequestStatus>(status, "status");
        var current = await reader.Scope.Filter(session.Query<SupplyRequest>(), r => r.Jurisdiction).OrderBy(r => r.RequestedAt).Take(2000).ToListAsync(ct);
        var requests = await StreamReads.List(session, current, r => r.Id, QueryValues.AsOf(asOf), SupplyRequest.Replay, ct);
        return requests.Where(r => wanted is null || r.State.Status == wanted).Select(r => ToView(r.State, r.Version)).ToList();
    }

    private static DepotView ToView(Depot d, long version) => new(d.Id, version, d.Name, d.Jurisdiction,
        d.Stock.Values.OrderBy(s => s.Item, StringComparer.Ordinal).Select(s => new StockView(s.Item, s.OnHand, s.Reserved, s.Available)).ToList());

    private static SupplyRequestView ToView(SupplyRequest r, long version) => new(r.Id, version, r.Status, r.Priority, r.Requester,
        r.Jurisdiction, r.NeededBy, r.RequestedAt,
        r.Lines.Select(l => new RequestLineView(l.Item, l.Requested, l.Allocated, l.Delivered, l.Outstanding)).ToList(),
        r.Allocations.Select(a => new AllocationView(a.Id, a.DepotId, a.Status, a.Lines, a.DepartsFromPlan)).ToList());
}
