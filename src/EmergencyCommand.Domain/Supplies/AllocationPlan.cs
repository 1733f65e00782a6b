namespace EmergencyCommand.Domain.Supplies;

public sealed record PlannedShare(
    Guid RequestId, string Requester, Priority Priority, NodaTime.Instant NeededBy, long Outstanding, long Recommended, string Jurisdiction);

/// <summary>
/// How to split scarce stock of one item over open requests: by priority tier first; inside a tier, whatever
/// does not cover everyone is shared in proportion to need, and the units left by rounding go to the
/// earliest needed-by, then the earliest arrival. Advice only: the coordinator decides.
/// </summary>
public static class AllocationPlan
{
    public static IReadOnlyList<PlannedShare> Recommend(string item, long available, IEnumerable<SupplyRequest> requests)
    {
        var open = requests.Where(r => r.IsOpen && r.Outstanding(item) > 0)
            .OrderBy(r => r.Priority).ThenBy(r => r.NeededBy).ThenBy(r => r.RequestedAt).ThenBy(r => r.Id)
            .ToList();
        var shares = new List<PlannedShare>();
        var left = Math.Max(0, available);
        foreach (var tier in open.GroupBy(r => r.Priority))
        {
            var members = tier.ToList();
            var need = members.Sum(r => r.Outstanding(item));
            // The product of stock and need can pass a long's range before the division brings it back.
            var given = members.ToDictionary(r => r.Id, r => need <= left ? r.Outstanding(item) : (long)((Int128)left * r.Outstanding(item) / need));
            var remainder = Math.Min(left, need) - given.Values.Sum();
            foreach (var r in members)
            {
                if (remainder == 0) break;
                if (given[r.Id] < r.Outstanding(item)) { given[r.Id]++; remainder--; }
            }
            left -= given.Values.Sum();
            shares.AddRange(members.Select(r => new PlannedShare(r.Id, r.Requester, r.Priority, r.NeededBy, r.Outstanding(item), given[r.Id], r.Jurisdiction)));
        }
        return shares;
    }
}
