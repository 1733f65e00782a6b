using System.Collections.Immutable;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Supplies;

/// <summary>
/// A supply request without its allocation history: what the allocation plan weighs. The plan runs before every
/// allocation, and the request's own document grows with every allocation made to it; this one stays the size of the
/// request's lines, and says which items the request still waits for.
/// </summary>
public sealed record SupplyNeed(
    Guid Id, string Requester, string Jurisdiction, Priority Priority, Instant NeededBy, Instant RequestedAt,
    ImmutableList<RequestLine> Lines, bool Cancelled) : IJurisdictional
{
    /// <summary>The items with something still unallocated while the request is open (empty once it is not).</summary>
    public IReadOnlyList<string> WaitingFor => AsRequest().IsOpen ? Lines.Where(l => l.Outstanding > 0).Select(l => l.Item).ToList() : [];

    /// <summary>Whether the plan weighs this request at all: kept in its own indexed column, so the plan reads only these.</summary>
    public bool IsWaiting => WaitingFor.Count > 0;

    public WaitingRequest? For(string item) => WaitingRequest.For(AsRequest(), item);

    public static SupplyNeed? Of(SupplyRequest? request) => request is null
        ? null
        : new(request.Id, request.Requester, request.Jurisdiction, request.Priority, request.NeededBy, request.RequestedAt, request.Lines, request.Cancelled);

    /// <summary>By the request's own rules (its lines and status never depend on its allocation history), so the two cannot disagree.</summary>
    public static SupplyNeed? Evolve(SupplyNeed? state, object @event) => Of(SupplyRequest.Evolve(state?.AsRequest(), @event));

    private SupplyRequest AsRequest() => new(Id, Requester, Jurisdiction, Priority, NeededBy, RequestedAt, Lines, [], Cancelled);
}
