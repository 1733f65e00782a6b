using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.Supplies;

/// <summary>Depot and request facts in one sentence each, with the coordinator's reasons.</summary>
public static class SupplyNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<DepotRegistered>(e => $"Depot {e.Name} registered in {e.Jurisdiction}", (e, _) => $"在 {Narrative.PlaceZh(e.Jurisdiction)} 登记储备库 {e.Name}")
        .On<StockReceived>(e => $"Received {e.Quantity} {e.Item} from {e.Source}", (e, _) => $"入库 {e.Item} ×{e.Quantity}（来源：{e.Source}）")
        .On<StockReserved>(e => $"Reserved {Lines(e.Lines)} for request {e.RequestId}", (e, _) => $"为需求 {e.RequestId} 预留 {LinesZh(e.Lines)}")
        .On<ReservationReleased>(e => Narrative.Join($"Released {Lines(e.Lines)}", e.Reason), (e, _) => Narrative.JoinZh($"释放预留 {LinesZh(e.Lines)}", e.Reason), e => e.Reason)
        .On<StockDelivered>(e => $"{Lines(e.Lines)} left the depot on delivery", (e, _) => $"{LinesZh(e.Lines)} 已出库配送")
        .On<SupplyRequested>(s => $"{s.Requester} ({s.Priority}) requests {Lines(s.Lines)} by {CommandTime.Said(s.NeededBy)}",
            (s, w) => $"{s.Requester}申请 {LinesZh(s.Lines)}（优先级：{w.Of(s.Priority)}），需于 {CommandTime.Said(s.NeededBy)} 前送达")
        .On<SuppliesAllocated>(a => $"Allocated {Lines(a.Lines)} from depot {a.DepotId}{(a.DepartsFromPlan ? " (departs from the plan)" : "")}",
            (a, _) => $"从储备库 {a.DepotId} 分配 {LinesZh(a.Lines)}{(a.DepartsFromPlan ? "（偏离调配方案）" : "")}",
            a => a.Rationale)
        .On<AllocationCancelled>(e => Narrative.Join($"Allocation of {Lines(e.Lines)} cancelled", e.Reason), (e, _) => Narrative.JoinZh($"撤销分配 {LinesZh(e.Lines)}", e.Reason), e => e.Reason)
        .On<SupplyRequestCancelled>(e => Narrative.Join("Request cancelled", e.Reason), (e, _) => Narrative.JoinZh("需求已取消", e.Reason), e => e.Reason)
        .On<AllocationShipped>(e => $"Allocation {e.AllocationId} shipped as {e.ShipmentId}", (e, _) => $"分配 {e.AllocationId} 已发运，运单 {e.ShipmentId}")
        .On<SuppliesDelivered>(d => $"Delivered {Lines(d.Received)}", (d, _) => $"已送达 {LinesZh(d.Received)}")
        .On<SupplyRequestOverdue>(e => $"Still short of {Lines(e.Outstanding)} at its needed-by time; escalated to {e.EscalatedTo ?? "no commander on record"}",
            (e, _) => $"到需求时限仍短缺 {LinesZh(e.Outstanding)}；{(e.EscalatedTo is { } to ? $"已提请 {to} 督办" : "未找到可提请督办的指挥员")}");

    public static string Lines(IEnumerable<SupplyLine> lines) => string.Join(", ", lines.Select(l => $"{l.Quantity} {l.Item}"));

    public static string LinesZh(IEnumerable<SupplyLine> lines) => string.Join("、", lines.Select(l => $"{l.Item} ×{l.Quantity}"));
}
