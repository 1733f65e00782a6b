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

public static class ShipmentQueries
{
    /// <summary>The shipment with the checkpoint passages of its vehicle pass between dispatch and delivery.</summary>
    [WolverineGet("/api/shipments/{id:guid}", OperationId = "GetShipment")]
    public static async Task<ShipmentView> GetShipment(Guid id, string? asOf, Reader reader, IQuerySession session, IClock clock, CancellationToken ct)
    {
        var (s, version) = await StreamReads.Replay(session, reader, id, asOf, Shipment.Replay, "Shipment", ct);
        var until = s.DeliveredAt ?? QueryValues.AsOf(asOf) ?? clock.GetCurrentInstant();
        var passages = new List<CheckView>();
        // Checks live in one stream per channel and Beijing day; a shipment spans a handful of days at most.
        for (var day = s.DispatchedAt; day <= until + Duration.FromDays(1) && passages.Count < 1000; day += Duration.FromDays(1))
        {
            var events = await session.Events.FetchStreamAsync(GreenChannelProjection.ChecksStreamId(s.ChannelId, day), token: ct);
            passages.AddRange(events.Select(e => (e, c: (CheckpointChecked)e.Data))
                .Where(x => x.c.PassId == s.PassId && x.c.CheckedAt >= s.DispatchedAt && x.c.CheckedAt <= until)
                .Select(x => new CheckView(x.e.Sequence, x.c.CheckedAt, x.c.CheckpointCode, x.c.Admitted, x.c.Reason, x.c.PassId, x.e.UserName)));
            if (day > until) break;
        }
        return new ShipmentView(s.Id, version, s.Status, s.AllocationId, s.RequestId, s.DepotId, s.ChannelId, s.PassId, s.Lines, s.Received,
            s.Shortfall, s.DispatchedAt, s.DeliveredAt, passages.DistinctBy(p => p.Sequence).OrderBy(p => p.Sequence).ToList());
    }
}
