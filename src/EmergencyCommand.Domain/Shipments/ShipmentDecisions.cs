using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Shipments;

/// <summary>Custody on the road: a reserved allocation leaves on a channel under a pass, and its receipt closes the chain.</summary>
public static class ShipmentDecisions
{
    public static Decision Dispatch(GreenChannel channel, SupplyRequest request, Guid allocationId, Guid passId, Guid shipmentId, Instant now)
    {
        var allocation = request.Allocation(allocationId);
        if (allocation is null) return Decision.Reject("allocation-known", $"Allocation {allocationId} is not part of request {request.Id}.");
        if (allocation.Status != AllocationStatus.Reserved)
            return Decision.Reject("ship-once", $"The allocation is {allocation.Status}; only a reserved allocation is shipped.");
        if (channel.Status != ChannelStatus.Open) return Decision.Reject("channel-open", $"The channel is {channel.Status}.");
        var pass = channel.Pass(passId);
        if (pass is null) return Decision.Reject("pass-of-channel", "The pass does not belong to this channel.");
        if (pass.Status == PassStatus.Revoked) return Decision.Reject("pass-valid", "The pass is revoked.");
        if (now < channel.ValidFrom) return Decision.Reject("pass-valid", $"The channel opens for traffic at {CommandTime.Said(channel.ValidFrom)}.");
        if (now > pass.ValidUntil || now > channel.ValidUntil) return Decision.Reject("pass-valid", "The pass or the channel has expired.");
        return Decision.Accept(
            new ShipmentDispatched(shipmentId, allocationId, request.Id, allocation.DepotId, channel.Id, passId, allocation.Lines,
                request.Jurisdiction, now),
            new AllocationShipped(request.Id, allocationId, shipmentId, now));
    }

    /// <summary>
    /// Receipt closes the chain: received ≤ shipped per item. What is missing stays visible as a shortfall on the shipment,
    /// and goes back to the request's outstanding need: a hospital short of 30 still needs them.
    /// </summary>
    public static Decision Deliver(Shipment shipment, IReadOnlyList<SupplyLine> received, string? receivedBy, Instant now)
    {
        if (shipment.Status != ShipmentStatus.InTransit) return Decision.Reject("deliver-once", "The shipment is already delivered.");
        foreach (var line in received)
        {
            var shipped = shipment.Lines.FirstOrDefault(l => l.Item == line.Item)?.Quantity;
            if (shipped is null) return Decision.Reject("deliver-shipped-items", $"Line '{line.Item}': this item was not shipped.");
            if (line.Quantity > shipped) return Decision.Reject("deliver-at-most-shipped", $"Line '{line.Item}': {line.Quantity} received exceeds {shipped} shipped.");
        }
        var receipt = shipment.Lines.Select(s => new SupplyLine(s.Item, received.FirstOrDefault(r => r.Item == s.Item)?.Quantity ?? 0)).ToList();
        var shortfall = shipment.Lines.Zip(receipt, (s, r) => new SupplyLine(s.Item, s.Quantity - r.Quantity)).Where(l => l.Quantity > 0).ToList();
        return Decision.Accept(
            new ShipmentDelivered(shipment.Id, receipt, shortfall, receivedBy, now),
            new StockDelivered(shipment.DepotId, shipment.AllocationId, shipment.Lines, now),
            new SuppliesDelivered(shipment.RequestId, shipment.AllocationId, receipt, now, shortfall));
    }
}
