using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Supplies;

public enum Priority { Critical = 1, High = 2, Normal = 3 }

/// <summary>A whole number of one item's unit, e.g. 500 of "N95 mask".</summary>
public sealed record SupplyLine(string Item, long Quantity);


/// <summary>A fact on a depot's stream.</summary>
public interface IDepotEvent : IDomainEvent
{
    Guid DepotId { get; }
}

/// <summary>A fact on a supply request's stream.</summary>
public interface ISupplyRequestEvent : IDomainEvent
{
    Guid RequestId { get; }
}

// Depot stream: what is on hand and what allocations have reserved.
public sealed record DepotRegistered(Guid DepotId, string Name, string Jurisdiction, Instant RegisteredAt) : IDepotEvent;

public sealed record StockReceived(Guid DepotId, string Item, long Quantity, string Source, Instant ReceivedAt) : IDepotEvent;

public sealed record StockReserved(Guid DepotId, Guid AllocationId, Guid RequestId, IReadOnlyList<SupplyLine> Lines, Instant ReservedAt) : IDepotEvent;

public sealed record ReservationReleased(Guid DepotId, Guid AllocationId, IReadOnlyList<SupplyLine> Lines, string Reason, Instant ReleasedAt) : IDepotEvent;

// Request stream: what a hospital, community or department asked for and what it was given.
public sealed record SupplyRequested(
    Guid RequestId, string Requester, string Jurisdiction, Priority Priority, IReadOnlyList<SupplyLine> Lines,
    Instant NeededBy, Instant RequestedAt) : ISupplyRequestEvent;

/// <summary>
/// Stock of one depot set aside for this request. <c>PlanAdvice</c> is what the allocation plan recommended
/// for this request at that moment; when the coordinator departs from it, the difference stays on record.
/// </summary>
public sealed record SuppliesAllocated(
    Guid RequestId, Guid AllocationId, Guid DepotId, IReadOnlyList<SupplyLine> Lines, string Rationale,
    IReadOnlyList<SupplyLine> PlanAdvice, bool DepartsFromPlan, Instant AllocatedAt) : ISupplyRequestEvent;

public sealed record AllocationCancelled(Guid RequestId, Guid AllocationId, Guid DepotId, IReadOnlyList<SupplyLine> Lines, string Reason, Instant CancelledAt) : ISupplyRequestEvent;

public sealed record SupplyRequestCancelled(Guid RequestId, string Reason, Instant CancelledAt) : ISupplyRequestEvent;

// Custody moves on: the allocation leaves on a shipment, and on delivery the goods leave the depot's stock
// and count as delivered on the request (what was received, which may be short of what was shipped).
public sealed record AllocationShipped(Guid RequestId, Guid AllocationId, Guid ShipmentId, Instant ShippedAt) : ISupplyRequestEvent;

public sealed record StockDelivered(Guid DepotId, Guid AllocationId, IReadOnlyList<SupplyLine> Lines, Instant DeliveredAt) : IDepotEvent;

/// <param name="Shortfall">What the allocation sent that did not arrive: the request waits for it again. Null in deliveries
/// recorded before a shortfall went back to the request (those stay covered by their allocation).</param>
public sealed record SuppliesDelivered(
    Guid RequestId, Guid AllocationId, IReadOnlyList<SupplyLine> Received, Instant DeliveredAt, IReadOnlyList<SupplyLine>? Shortfall = null)
    : ISupplyRequestEvent;

/// <summary>Needed-by came and the request was still not fully allocated.</summary>
public sealed record SupplyRequestOverdue(Guid RequestId, IReadOnlyList<SupplyLine> Outstanding, Instant NeededBy, string? EscalatedTo, Instant At) : ISupplyRequestEvent;
