using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;

namespace EmergencyCommand.Domain.Shipments;

public static class ShipmentNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<ShipmentDispatched>(s => $"Shipment dispatched on channel {s.ChannelId}: {SupplyNarrative.Lines(s.Lines)}",
            (s, _) => $"经通道 {s.ChannelId} 发运：{SupplyNarrative.LinesZh(s.Lines)}")
        .On<ShipmentDelivered>(s => $"Shipment received: {SupplyNarrative.Lines(s.Received)}{(s.Shortfall.Count > 0 ? $", short {SupplyNarrative.Lines(s.Shortfall)}" : "")}",
            (s, _) => $"实收 {SupplyNarrative.LinesZh(s.Received)}{(s.Shortfall.Count > 0 ? $"，途中短少 {SupplyNarrative.LinesZh(s.Shortfall)}" : "")}");
}
