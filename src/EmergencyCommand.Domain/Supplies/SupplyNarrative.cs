using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.Supplies;

/// <summary>Depot and request facts in one sentence each, with the coordinator's reasons.</summary>
public static class SupplyNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<DepotRegistered>(e => $"Depot {e.Name} registered in {e.Jurisdiction}")
        .On<StockReceived>(e => $"Received {e.Quantity} {e.Item} from {e.Source}")
        .On<StockReserved>(e => $"Reserved {Lines(e.Lines)} for request {e.RequestId}")
        .On<ReservationReleased>(e => Narrative.Join($"Released {Lines(e.Lines)}", e.Reason), e => e.Reason)
        .On<StockDelivered>(e => $"{Lines(e.Lines)} left the depot on delivery")
        .On<SupplyRequested>(s => $"{s.Requester} ({s.Priority}) requests {Lines(s.Lines)} by {CommandTime.Said(s.NeededBy)}")
        .On<SuppliesAllocated>(a => $"Allocated {Lines(a.Lines)} from depot {a.DepotId}{(a.DepartsFromPlan ? " (departs from the plan)" : "")}",
            a => a.Rationale)
        .On<AllocationCancelled>(e => Narrative.Join($"Allocation of {Lines(e.Lines)} cancelled", e.Reason), e => e.Reason)
        .On<SupplyRequestCancelled>(e => Narrative.Join("Request cancelled", e.Reason), e => e.Reason)
        .On<AllocationShipped>(e => $"Allocation {e.AllocationId} shipped as {e.ShipmentId}")
        .On<SuppliesDelivered>(d => $"Delivered {Lines(d.Received)}")
        .On<SupplyRequestOverdue>(e => $"Still short of {Lines(e.Outstanding)} at its needed-by time; escalated to {e.EscalatedTo ?? "no commander on record"}");

    public static string Lines(IEnumerable<SupplyLine> lines) => string.Join(", ", lines.Select(l => $"{l.Quantity} {l.Item}"));
}
