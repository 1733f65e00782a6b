using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Shipments;

/// <summary>A fact on a shipment's stream: an allocation carried along a green channel under a pass, ending in a receipt.</summary>
public interface IShipmentEvent : IDomainEvent
{
    Guid ShipmentId { get; }
}

public sealed record ShipmentDispatched(
    Guid ShipmentId, Guid AllocationId, Guid RequestId, Guid DepotId, Guid ChannelId, Guid PassId, IReadOnlyList<SupplyLine> Lines,
    string Jurisdiction, Instant DispatchedAt) : IShipmentEvent;

public sealed record ShipmentDelivered(
    Guid ShipmentId, IReadOnlyList<SupplyLine> Received, IReadOnlyList<SupplyLine> Shortfall, string? ReceivedBy, Instant DeliveredAt)
    : IShipmentEvent;
