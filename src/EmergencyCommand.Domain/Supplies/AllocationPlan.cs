using NodaTime;

namespace EmergencyCommand.Domain.Supplies;

public sealed record PlannedShare(
    Guid RequestId, string Requester, Priority Priority, Instant NeededBy, long Outstanding, long Recommended, string Jurisdiction);

/// <summary>An open request still waiting for some of one item: all that the plan weighs of it.</summary>
public sealed record WaitingRequest(
    Guid RequestId, string Requester, string Jurisdiction, Priority Priority, Instant NeededBy, Instant RequestedAt, long Outstanding)
{
    /// <summary>What <paramref name="request"/> still waits for of <paramref name="item"/>; null when nothing (or it is not open).</summary>
    public static WaitingRequest? For(SupplyRequest request, string item) =>
        request.IsOpen && request.Outstanding(item) is > 0 and var outstanding
            ? new(request.Id, request.Requester, request.Jurisdiction, request.Priority, request.NeededBy, request.RequestedAt, outstanding)
            : null;
}

/// <summary>
/// How to split scarce stock of one item over open requests: by priority tier first; inside a tier, whatever
/// does not cover everyone is shared in proportion to need, and the units left by rounding go to the
/// earliest needed-by, then the earliest arrival. Advice only: the coordinator decides.
/// </summary>
public static class AllocationPlan
{
    public static IReadOnlyList<PlannedShare> Recommend(string item, long available, IEnumerable<SupplyRequest> requests) =>
        Recommend(available, requests.Select(r => WaitingRequest.For(r, item)).OfType<WaitingRequest>());

    /// <summary>The same advice from the requests still waiting for the item, however they were found.</summary>
    public static IReadOnlyList<PlannedShare> Recommend(long available, IEnumerable<WaitingRequest> waiting)
    {
        var open = waiting
            .OrderBy(r => r.Priority).ThenBy(r => r.NeededBy).ThenBy(r => r.RequestedAt).ThenBy(r => r.RequestId)
            .ToList();
        var shares = new List<PlannedShare>();
        var left = Math.Max(0, available);
        foreach (var tier in open.GroupBy(r => r.Priority))
        {
            var members = tier.ToList();
            var need = members.Sum(r => r.Outstanding);
            // The product of stock and need can pass a long's range before the division brings it back.
            var given = members.ToDictionary(r => r.RequestId, r => need <= left ? r.Outstanding : (long)((Int128)left * r.Outstanding / need));
            var remainder = Math.Min(left, need) - given.Values.Sum();
            foreach (var r in members)
            {
                if (remainder == 0) break;
                if (given[r.RequestId] < r.Outstanding) { given[r.RequestId]++; remainder--; }
            }
            left -= given.Values.Sum();
            shares.AddRange(members.Select(r => new PlannedShare(r.RequestId, r.Requester, r.Priority, r.NeededBy, r.Outstanding, given[r.RequestId], r.Jurisdiction)));
        }
        return shares;
    }
}
