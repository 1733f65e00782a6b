using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.GreenChannels;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Shipments;

public sealed record ShipmentView(
    Guid Id, long Version, ShipmentStatus Status, Guid AllocationId, Guid RequestId, Guid DepotId, Guid GreenChannelId, Guid PassId,
    IReadOnlyList<SupplyLine> Lines, IReadOnlyList<SupplyLine> Received, IReadOnlyList<SupplyLine> Shortfall, Instant DispatchedAt, Instant? DeliveredAt,
    IReadOnlyList<CheckView> Passages);

public sealed record ShipmentSummary(Guid Id, long Version, ShipmentStatus Status, Guid AllocationId, Guid RequestId, Guid DepotId,
    Guid GreenChannelId, Guid PassId, IReadOnlyList<SupplyLine> Lines, string Jurisdiction, Instant DispatchedAt, Instant? DeliveredAt);

public static class ShipmentQueries
{
    private const int MaxDaysOnTheRoad = 92;

    /// <summary>
    /// Shipments within the caller's jurisdictions, in transit first, then the newest dispatched, a page at a time
    /// (<c>offset</c>, <c>limit</c> up to 2,000; the total that match is in <c>X-Total-Count</c>). Order and filters are the
    /// database's, so what is on the road is on the first page however many deliveries came before it.
    /// </summary>
    [WolverineGet("/api/shipments", OperationId = "ListShipments")]
    public static async Task<IReadOnlyList<ShipmentSummary>> List(string? status, string? offset, string? limit, Reader reader, HttpResponse response,
        IQuerySession session, CancellationToken ct)
    {
        var wanted = QueryValues.Enum<ShipmentStatus>(status, "status");
        var page = Paging.Parse(offset, limit, 2000);
        var query = reader.Scope.Filter(session.Query<Shipment>(), s => s.Jurisdiction);
        if (wanted is not null) query = query.Where(s => s.Status == wanted);
        Paging.Total(response, await query.CountAsync(ct));
        // (Marten's LINQ does not order NodaTime instants; the stored ISO text casts exactly.)
        var shipments = await page.Of(query.OrderBySql($"data ->> 'status' = '{ShipmentStatus.InTransit}' desc")
            .ThenBySql("(data ->> 'dispatchedAt')::timestamptz desc").ThenBySql("id")).ToListAsync(ct);
        var versions = await EventLog.Versions(session, shipments.Select(s => s.Id).ToList(), ct);
        return shipments.Select(s => new ShipmentSummary(s.Id, versions.GetValueOrDefault(s.Id), s.Status, s.AllocationId, s.RequestId, s.DepotId,
            s.ChannelId, s.PassId, s.Lines, s.Jurisdiction, s.DispatchedAt, s.DeliveredAt)).ToList();
    }

    /// <summary>The shipment with the checkpoint passages of its vehicle pass between dispatch and delivery.</summary>
    [WolverineGet("/api/shipments/{id:guid}", OperationId = "GetShipment")]
    public static async Task<ShipmentView> GetShipment(Guid id, string? asOf, Reader reader, IQuerySession session, IClock clock, CancellationToken ct)
    {
        var (s, version) = await StreamReads.Replay(session, reader, id, asOf, Shipment.Replay, "Shipment", ct);
        var until = s.DeliveredAt ?? QueryValues.AsOf(asOf, clock) ?? clock.GetCurrentInstant();
        // Checks live in one stream per channel and Beijing day: the days the shipment was on the road, read at once,
        // and never more than a quarter of them (the most recent), however long ago it left.
        var days = (int)Math.Clamp((until - s.DispatchedAt).TotalDays + 2, 1, MaxDaysOnTheRoad);
        var streams = Enumerable.Range(0, days).Select(d => GreenChannelProjection.ChecksStreamId(s.ChannelId, until - Duration.FromDays(d))).ToList();
        var passages = (await EventLog.OfStreams(session, streams, until, ct))
            .Select(e => (e, c: (CheckpointChecked)e.Data))
            .Where(x => x.c.PassId == s.PassId && x.c.CheckedAt >= s.DispatchedAt && x.c.CheckedAt <= until)
            .Select(x => new CheckView(x.e.Sequence, x.c.CheckedAt, x.c.CheckpointCode, x.c.Admitted, x.c.Reason, x.c.PassId, x.e.UserName))
            .Take(1000).ToList();
        return new ShipmentView(s.Id, version, s.Status, s.AllocationId, s.RequestId, s.DepotId, s.ChannelId, s.PassId, s.Lines, s.Received,
            s.Shortfall, s.DispatchedAt, s.DeliveredAt, passages.DistinctBy(p => p.Sequence).OrderBy(p => p.Sequence).ToList());
    }
}
