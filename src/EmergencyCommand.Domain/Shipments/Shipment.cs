using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Shipments;

public enum ShipmentStatus { InTransit, Delivered }

public sealed record Shipment(
    Guid Id, Guid AllocationId, Guid RequestId, Guid DepotId, Guid ChannelId, Guid PassId, IReadOnlyList<SupplyLine> Lines,
    string Jurisdiction, ShipmentStatus Status, IReadOnlyList<SupplyLine> Received, IReadOnlyList<SupplyLine> Shortfall,
    Instant DispatchedAt, Instant? DeliveredAt) : IJurisdictional
{
    public static Shipment? Evolve(Shipment? state, object @event) => (state, @event) switch
    {
        (null, ShipmentDispatched e) => new Shipment(e.ShipmentId, e.AllocationId, e.RequestId, e.DepotId, e.ChannelId, e.PassId, e.Lines,
            e.Jurisdiction, ShipmentStatus.InTransit, [], [], e.DispatchedAt, null),
        (null, _) => null,
        (_, ShipmentDelivered e) => state with { Status = ShipmentStatus.Delivered, Received = e.Received, Shortfall = e.Shortfall, DeliveredAt = e.DeliveredAt },
        _ => state,
    };

    public static Shipment? Replay(IEnumerable<object> events) => events.Aggregate((Shipment?)null, Evolve);
}
