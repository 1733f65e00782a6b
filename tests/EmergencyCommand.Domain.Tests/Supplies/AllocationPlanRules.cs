using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Supplies;

public sealed class AllocationPlanRules
{
    private static readonly Instant T = Instant.FromUtc(2020, 2, 1, 0, 0);
    private const string Item = "N95 mask";

    private static SupplyRequest Request(string requester, Priority priority, long quantity, int neededInHours, int arrivedMinutes) =>
        SupplyRequest.Replay([new SupplyRequested(Guid.NewGuid(), requester, "420100", priority, [new SupplyLine(Item, quantity)],
            T + Duration.FromHours(neededInHours), T + Duration.FromMinutes(arrivedMinutes))])!;

    [Fact]
    public void Critical_needs_are_met_first_then_the_next_tier_shares_the_rest_in_proportion()
    {
        // 1,000 masks. Critical: 300 + 200 (all met). High: 600 + 300 share the remaining 500 in proportion 2:1.
        var requests = new[]
        {
            Request("Community A", Priority.Normal, 100, 10, 0),
            Request("Jinyintan ICU", Priority.Critical, 300, 5, 1),
            Request("Union Hospital", Priority.High, 600, 8, 2),
            Request("Leishenshan", Priority.Critical, 200, 3, 3),
            Request("Tongji Hospital", Priority.High, 300, 6, 4),
        };
        var plan = AllocationPlan.Recommend(Item, 1000, requests).ToDictionary(s => s.Requester, s => s.Recommended);

        plan["Leishenshan"].Should().Be(200);
        plan["Jinyintan ICU"].Should().Be(300);
        plan["Union Hospital"].Should().Be(333);
        plan["Tongji Hospital"].Should().Be(167, "the unit lost to rounding goes to the earliest needed-by");
        plan["Community A"].Should().Be(0);
        plan.Values.Sum().Should().Be(1000);
    }

    [Fact]
    public void Shares_are_ordered_by_priority_then_needed_by_then_arrival()
    {
        var requests = new[]
        {
            Request("Late arrival", Priority.High, 10, 5, 9),
            Request("Early arrival", Priority.High, 10, 5, 1),
            Request("Needed sooner", Priority.High, 10, 2, 20),
            Request("Critical", Priority.Critical, 10, 50, 30),
        };
        AllocationPlan.Recommend(Item, 35, requests).Select(s => (s.Requester, s.Recommended)).Should().Equal(
            ("Critical", 10L), ("Needed sooner", 9L), ("Early arrival", 8L), ("Late arrival", 8L));
    }

    [Fact]
    public void Plenty_of_stock_meets_every_need_and_none_gives_nothing()
    {
        var requests = new[] { Request("A", Priority.Normal, 10, 1, 1), Request("B", Priority.High, 20, 1, 2) };
        AllocationPlan.Recommend(Item, 10_000, requests).Select(s => s.Recommended).Should().Equal(20, 10);
        AllocationPlan.Recommend(Item, 0, requests).Select(s => s.Recommended).Should().Equal(0, 0);
    }

    [Fact]
    public void Sharing_a_depots_largest_stock_among_the_largest_needs_does_not_overflow()
    {
        // Twenty cities each needing a billion, fifteen billion available: 1.5·10^10 × 10^9 passes a long's range before
        // the division brings it back. The shares still add up to what is there.
        var requests = Enumerable.Range(0, 20).Select(i => Request($"City {i}", Priority.High, Quantities.MaxPerLine, 5, i)).ToList();
        var scarce = AllocationPlan.Recommend(Item, 15 * Quantities.MaxPerLine, requests);
        scarce.Sum(s => s.Recommended).Should().Be(15 * Quantities.MaxPerLine);

        AllocationPlan.Recommend(Item, Quantities.MaxOnHand, requests).Should().OnlyContain(s => s.Recommended == Quantities.MaxPerLine);
    }
}
