using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Supplies;

public sealed class SupplyNeedRules
{
    private static readonly Guid RequestId = Guid.NewGuid();
    private static readonly Guid DepotId = Guid.NewGuid();
    private static readonly Instant Now = Instant.FromUtc(2020, 1, 26, 8, 0);
    private const string N95 = "N95 mask";
    private const string Suits = "Protective suit";

    private static readonly Guid First = Guid.NewGuid(), Second = Guid.NewGuid();

    /// <summary>A request's life: filed, served in parts, one part cancelled, shipped, delivered, then the rest served.</summary>
    private static readonly object[] Life =
    [
        new SupplyRequested(RequestId, "Jinyintan Hospital", "420105", Priority.Critical, [new SupplyLine(N95, 1000), new SupplyLine(Suits, 200)],
            Now + Duration.FromDays(1), Now),
        new SuppliesAllocated(RequestId, First, DepotId, [new SupplyLine(N95, 600)], "ICU first", [], true, Now),
        new SuppliesAllocated(RequestId, Second, DepotId, [new SupplyLine(Suits, 200)], "All suits", [], true, Now),
        new AllocationCancelled(RequestId, Second, DepotId, [new SupplyLine(Suits, 200)], "Truck diverted", Now),
        new SupplyRequestOverdue(RequestId, [new SupplyLine(N95, 400), new SupplyLine(Suits, 200)], Now, null, Now),
        new AllocationShipped(RequestId, First, Guid.NewGuid(), Now),
        new SuppliesDelivered(RequestId, First, [new SupplyLine(N95, 600)], Now),
        new SuppliesAllocated(RequestId, Guid.NewGuid(), DepotId, [new SupplyLine(N95, 400), new SupplyLine(Suits, 200)], "The rest", [], true, Now),
    ];

    [Fact]
    public void After_every_event_the_need_waits_for_exactly_what_the_request_still_needs()
    {
        SupplyRequest? request = null;
        SupplyNeed? need = null;
        foreach (var e in Life)
        {
            request = SupplyRequest.Evolve(request, e);
            need = SupplyNeed.Evolve(need, e);
            need.Should().BeEquivalentTo(SupplyNeed.Of(request), "after {0}", e.GetType().Name);
            need!.WaitingFor.Should().Equal(new[] { N95, Suits }.Where(item => WaitingRequest.For(request!, item) is not null));
            foreach (var item in new[] { N95, Suits })
                need.For(item).Should().Be(WaitingRequest.For(request!, item));
        }
        need!.IsWaiting.Should().BeFalse("everything is allocated at the end");
    }

    [Fact]
    public void A_cancelled_request_waits_for_nothing()
    {
        var need = new object[] { Life[0], Life[1], new SupplyRequestCancelled(RequestId, "Patients transferred", Now) }
            .Aggregate((SupplyNeed?)null, SupplyNeed.Evolve)!;
        need.WaitingFor.Should().BeEmpty();
        need.IsWaiting.Should().BeFalse();
        need.For(N95).Should().BeNull();
    }

    [Fact]
    public void A_partly_served_request_waits_for_the_rest_of_each_item()
    {
        var need = Life.Take(2).Aggregate((SupplyNeed?)null, SupplyNeed.Evolve)!;
        need.WaitingFor.Should().Equal(N95, Suits);
        need.For(N95)!.Outstanding.Should().Be(400);
        need.For(Suits)!.Outstanding.Should().Be(200);
    }
}
