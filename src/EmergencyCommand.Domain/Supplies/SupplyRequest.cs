using System.Collections.Immutable;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Supplies;

public enum RequestStatus { Open, PartiallyAllocated, Allocated, Delivered, Cancelled }

public enum AllocationStatus { Reserved, Cancelled, Shipped, Delivered }

/// <param name="Allocated">Every unit allocated to the line and not cancelled, delivered or not.</param>
/// <param name="ShortOnDelivery">What allocations sent that never arrived: allocated, yet not covering the need.</param>
public sealed record RequestLine(string Item, long Requested, long Allocated, long Delivered, long ShortOnDelivery = 0)
{
    /// <summary>What allocations still cover: on the way, or arrived.</summary>
    public long Covered => Allocated - ShortOnDelivery;

    public long Outstanding => Requested - Covered;
}

public sealed record Allocation(Guid Id, Guid DepotId, IReadOnlyList<SupplyLine> Lines, AllocationStatus Status, bool DepartsFromPlan);

/// <summary>A supply request as its events left it. Its status follows from its lines.</summary>
public sealed record SupplyRequest(
    Guid Id, string Requester, string Jurisdiction, Priority Priority, Instant NeededBy, Instant RequestedAt,
    ImmutableList<RequestLine> Lines, ImmutableList<Allocation> Allocations, bool Cancelled, bool Overdue = false) : IJurisdictional
{
    public RequestStatus Status =>
        Cancelled ? RequestStatus.Cancelled
        : Lines.All(l => l.Delivered >= l.Requested) ? RequestStatus.Delivered
        : Lines.All(l => l.Covered >= l.Requested) ? RequestStatus.Allocated
        : Lines.Any(l => l.Allocated > 0) ? RequestStatus.PartiallyAllocated
        : RequestStatus.Open;

    public bool IsOpen => Status is RequestStatus.Open or RequestStatus.PartiallyAllocated;

    public long Outstanding(string item) => Lines.Where(l => l.Item == item).Sum(l => l.Outstanding);

    public Allocation? Allocation(Guid id) => Allocations.Find(a => a.Id == id);

    public static SupplyRequest? Evolve(SupplyRequest? state, object @event) => (state, @event) switch
    {
        (null, SupplyRequested e) => new SupplyRequest(e.RequestId, e.Requester, e.Jurisdiction, e.Priority, e.NeededBy, e.RequestedAt,
            e.Lines.Select(l => new RequestLine(l.Item, l.Quantity, 0, 0)).ToImmutableList(), [], false),
        (null, _) => null,
        (_, SuppliesAllocated e) => state.Shift(e.Lines, +1) with
        {
            Allocations = state.Allocations.Add(new Allocation(e.AllocationId, e.DepotId, e.Lines, AllocationStatus.Reserved, e.DepartsFromPlan)),
        },
        (_, AllocationCancelled e) => state.Shift(e.Lines, -1).WithAllocation(e.AllocationId, AllocationStatus.Cancelled),
        (_, SupplyRequestCancelled) => state with { Cancelled = true },
        (_, SupplyRequestOverdue) => state with { Overdue = true },
        (_, AllocationShipped e) => state.WithAllocation(e.AllocationId, AllocationStatus.Shipped),
        (_, SuppliesDelivered e) => state.WithAllocation(e.AllocationId, AllocationStatus.Delivered) with
        {
            Lines = (e.Shortfall ?? []).Aggregate(
                e.Received.Aggregate(state.Lines, (acc, l) =>
                    acc.Select(r => r.Item == l.Item ? r with { Delivered = r.Delivered + l.Quantity } : r).ToImmutableList()),
                (acc, l) => acc.Select(r => r.Item == l.Item ? r with { ShortOnDelivery = r.ShortOnDelivery + l.Quantity } : r).ToImmutableList()),
        },
        _ => state,
    };

    public static SupplyRequest? Replay(IEnumerable<object> events) => events.Aggregate((SupplyRequest?)null, Evolve);

    private SupplyRequest WithAllocation(Guid id, AllocationStatus status) => this with
    {
        Allocations = Allocations.Select(a => a.Id == id ? a with { Status = status } : a).ToImmutableList(),
    };

    private SupplyRequest Shift(IEnumerable<SupplyLine> lines, int sign) => this with
    {
        Lines = lines.Aggregate(Lines, (acc, l) =>
            acc.Select(r => r.Item == l.Item ? r with { Allocated = r.Allocated + sign * l.Quantity } : r).ToImmutableList()),
    };
}
