using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Supplies;

/// <summary>Stock and request rules: nothing is reserved that is not available, and no request is served beyond what it asked.</summary>
public static class SupplyDecisions
{
    public static DepotRegistered RegisterDepot(Guid depotId, string name, string jurisdiction, Instant now) =>
        new(depotId, name, jurisdiction, now);

    public static Decision ReceiveStock(Depot depot, string item, long quantity, string source, Instant now)
    {
        var onHand = depot.Stock.GetValueOrDefault(item)?.OnHand ?? 0;
        return quantity > Quantities.MaxOnHand - onHand
            ? Decision.Reject("stock-within-bounds", $"'{item}': {onHand} on hand and {quantity} received would exceed {Quantities.MaxOnHand}, the most one depot may hold of an item.")
            : Decision.Accept(new StockReceived(depot.Id, item, quantity, source, now));
    }

    public static SupplyRequested FileRequest(Guid requestId, string requester, string jurisdiction, Priority priority,
        IReadOnlyList<SupplyLine> lines, Instant neededBy, Instant now) =>
        new(requestId, requester, jurisdiction, priority, lines, neededBy, now);

    /// <summary>
    /// Reserves stock in one depot for one request. The two events go to the two streams and are committed together.
    /// </summary>
    public static Decision Allocate(Depot depot, SupplyRequest request, Guid allocationId, IReadOnlyList<SupplyLine> lines,
        string rationale, IReadOnlyList<SupplyLine> planAdvice, Instant now)
    {
        if (!request.IsOpen)
            return Decision.Reject("allocate-open-request", $"The request is {request.Status}; only an open request takes allocations.");
        foreach (var line in lines)
        {
            var outstanding = request.Outstanding(line.Item);
            if (request.Lines.All(l => l.Item != line.Item))
                return Decision.Reject("allocate-requested-items", $"Line '{line.Item}': the request does not ask for this item.");
            if (line.Quantity > outstanding)
                return Decision.Reject("allocate-within-outstanding",
                    $"Line '{line.Item}': {line.Quantity} exceeds the request's outstanding quantity {outstanding}.");
            var available = depot.Available(line.Item);
            if (line.Quantity > available)
                return Decision.Reject("allocate-within-available",
                    $"Line '{line.Item}': {line.Quantity} exceeds the depot's available stock {available}.");
        }
        var departs = lines.Any(l => planAdvice.FirstOrDefault(a => a.Item == l.Item)?.Quantity is not { } advised || l.Quantity != advised);
        return Decision.Accept(
            new StockReserved(depot.Id, allocationId, request.Id, lines, now),
            new SuppliesAllocated(request.Id, allocationId, depot.Id, lines, rationale, planAdvice, departs, now));
    }

    public static Decision CancelAllocation(Depot depot, SupplyRequest request, Guid allocationId, string reason, Instant now)
    {
        var allocation = request.Allocation(allocationId);
        if (allocation is null || allocation.DepotId != depot.Id)
            return Decision.Reject("allocation-known", $"Allocation {allocationId} is not part of this request.");
        if (allocation.Status != AllocationStatus.Reserved)
            return Decision.Reject("cancel-reserved-only", $"The allocation is {allocation.Status}; only a reserved allocation can be cancelled.");
        return Decision.Accept([.. Released(request, allocation, reason, now)]);
    }

    /// <summary>At needed-by: flagged overdue when anything is still unallocated; once.</summary>
    public static Decision MarkOverdue(SupplyRequest request, string? escalateTo, Instant now)
    {
        var outstanding = request.Lines.Where(l => l.Outstanding > 0).Select(l => new SupplyLine(l.Item, l.Outstanding)).ToList();
        return request.Overdue || !request.IsOpen || outstanding.Count == 0 || now < request.NeededBy
            ? Decision.Accept()
            : Decision.Accept(new SupplyRequestOverdue(request.Id, outstanding, request.NeededBy, escalateTo, now));
    }

    /// <summary>
    /// Cancelling a request cancels it and each of its reserved allocations, releasing the depots' stock: one decision,
    /// so the stock and the request can never disagree about what was released.
    /// </summary>
    public static Decision CancelRequest(SupplyRequest request, string reason, Instant now)
    {
        if (request.Status is RequestStatus.Cancelled or RequestStatus.Delivered)
            return Decision.Reject("cancel-open-request", $"The request is already {request.Status}.");
        if (request.Allocations.Any(a => a.Status == AllocationStatus.Shipped))
            return Decision.Reject("cancel-unshipped", "Part of this request is on its way; cancel or deliver the shipment first.");
        var released = request.Allocations.Where(a => a.Status == AllocationStatus.Reserved)
            .SelectMany(a => Released(request, a, $"Request cancelled: {reason}", now));
        // The cancellation first: it is what was decided (the decision log names a command by its subject's first event).
        return Decision.Accept([new SupplyRequestCancelled(request.Id, reason, now), .. released]);
    }

    /// <summary>A reserved allocation undone: the depot gets its stock back and the request its outstanding quantity.</summary>
    private static object[] Released(SupplyRequest request, Allocation allocation, string reason, Instant now) =>
    [
        new ReservationReleased(allocation.DepotId, allocation.Id, allocation.Lines, reason, now),
        new AllocationCancelled(request.Id, allocation.Id, allocation.DepotId, allocation.Lines, reason, now),
    ];

    /// <summary>The depots whose stock cancelling <paramref name="request"/> releases.</summary>
    public static IReadOnlySet<Guid> DepotsHolding(SupplyRequest request) =>
        request.Allocations.Where(a => a.Status == AllocationStatus.Reserved).Select(a => a.DepotId).ToHashSet();
}
