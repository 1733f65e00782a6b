using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EmergencyCommand.Server.Shipments;

public sealed partial class ShipmentProjection : SingleStreamProjection<Shipment, Guid>
{
    public ShipmentProjection() => this.IncludeFactsOf<IShipmentEvent>();

    public override Shipment? Evolve(Shipment? snapshot, Guid id, IEvent e) => Shipment.Evolve(snapshot, e.Data);

    /// <summary>One shipment per allocation: its stream id follows from the allocation, so shipping twice collides.</summary>
    public static Guid StreamId(Guid allocationId) => StreamIds.Named($"shipment:{allocationId}");
}
