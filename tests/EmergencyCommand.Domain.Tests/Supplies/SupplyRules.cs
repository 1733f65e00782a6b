using System.Text.Json;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Supplies;

public sealed class SupplyRules
{
    private static readonly Guid DepotId = Guid.NewGuid();
    private static readonly Guid RequestId = Guid.NewGuid();
    private static readonly Guid AllocationId = Guid.NewGuid();
    private static readonly Instant Now = Instant.FromUtc(2020, 1, 26, 8, 0);
    private const string N95 = "N95 mask";
    private const string Lookalike = "N95\u00AD mask";
    private const string Suits = "Protective suit";

    private static Depot GivenDepot(params object[] events) =>
        Depot.Replay(new object[] { new DepotRegistered(DepotId, "Hankou depot", "420100", Now) }.Concat(events))!;

    private static SupplyRequest GivenRequest(params object[] events) =>
        SupplyRequest.Replay(new object[]
        {
            new SupplyRequested(RequestId, "Jinyintan Hospital", "420105", Priority.Critical,
                [new SupplyLine(N95, 1000), new SupplyLine(Suits, 200)], Now + Duration.FromDays(1), Now),
        }.Concat(events))!;

    private static SupplyLine[] Lines(params (string Item, long Quantity)[] lines) => lines.Select(l => new SupplyLine(l.Item, l.Quantity)).ToArray();

    [Fact]
    public void Received_stock_is_on_hand_and_available_until_reserved()
    {
        var depot = GivenDepot(new StockReceived(DepotId, N95, 800, "Donation", Now),
            new StockReserved(DepotId, AllocationId, RequestId, Lines((N95, 300)), Now));
        var stock = depot.Stock[N95];
        (stock.OnHand, stock.Reserved, stock.Available).Should().Be((800L, 300L, 500L));
    }

    [Fact]
    public void An_allocation_reserves_in_the_depot_and_allocates_on_the_request_together()
    {
        var decision = SupplyDecisions.Allocate(GivenDepot(new StockReceived(DepotId, N95, 800, "Donation", Now)), GivenRequest(),
            AllocationId, Lines((N95, 500)), "ICU first", Lines((N95, 500)), Now);

        decision.Events.Should().HaveCount(2);
        decision.Events[0].Should().BeEquivalentTo(new StockReserved(DepotId, AllocationId, RequestId, Lines((N95, 500)), Now));
        var allocated = decision.Events[1].Should().BeOfType<SuppliesAllocated>().Subject;
        allocated.DepartsFromPlan.Should().BeFalse();

        var request = GivenRequest(allocated);
        request.Status.Should().Be(RequestStatus.PartiallyAllocated);
        request.Outstanding(N95).Should().Be(500);
    }

    [Fact]
    public void A_depot_read_back_from_its_document_tells_items_apart_by_their_exact_names()
    {
        // Given a depot as the store hands it back (its document, as JSON), holding N95 masks only.
        var stored = GivenDepot(new StockReceived(DepotId, N95, 800, "Donation", Now));
        var depot = JsonSerializer.Deserialize<Depot>(JsonSerializer.Serialize(stored))!;

        // A name that differs only by a soft hyphen, which a culture-aware comparison ignores, is another item: nothing of
        // it is available, an allocation of it is refused, and receiving it adds a line of its own, as a replay would.
        depot.Available(Lookalike).Should().Be(0);
        SupplyDecisions.Allocate(depot, GivenRequest(), AllocationId, Lines((Lookalike, 1)), "r", [], Now).Violation!.Rule
            .Should().BeOneOf("allocate-requested-items", "allocate-within-available");
        var received = Depot.Evolve(depot, new StockReceived(DepotId, Lookalike, 5, "Donation", Now))!;
        received.Stock.Keys.Should().BeEquivalentTo(Depot.Evolve(stored, new StockReceived(DepotId, Lookalike, 5, "Donation", Now))!.Stock.Keys);
        received.Stock[N95].OnHand.Should().Be(800);
    }

    [Fact]
    public void A_depot_holding_two_names_that_differ_only_by_an_ignorable_character_reads_back_from_its_document()
    {
        // Given a depot that received both names, as a replay of its events keeps them.
        var stored = GivenDepot(new StockReceived(DepotId, N95, 800, "Donation", Now), new StockReceived(DepotId, Lookalike, 5, "Donation", Now));

        // When the store reads its document back, then both lines are there, each with its own stock.
        var depot = JsonSerializer.Deserialize<Depot>(JsonSerializer.Serialize(stored))!;
        depot.Available(N95).Should().Be(800);
        depot.Available(Lookalike).Should().Be(5);
    }

    [Fact]
    public void An_allocation_beyond_available_stock_is_refused_naming_the_line()
    {
        var decision = SupplyDecisions.Allocate(GivenDepot(new StockReceived(DepotId, N95, 100, "Donation", Now)), GivenRequest(),
            AllocationId, Lines((N95, 101)), "r", [], Now);
        decision.Violation!.Rule.Should().Be("allocate-within-available");
        decision.Violation.Detail.Should().Contain(N95).And.Contain("100");
    }

    [Fact]
    public void An_allocation_beyond_the_outstanding_quantity_is_refused()
    {
        var half = new SuppliesAllocated(RequestId, Guid.NewGuid(), DepotId, Lines((Suits, 150)), "r", [], false, Now);
        var decision = SupplyDecisions.Allocate(GivenDepot(new StockReceived(DepotId, Suits, 1000, "Factory", Now)), GivenRequest(half),
            AllocationId, Lines((Suits, 51)), "r", [], Now);
        decision.Violation!.Rule.Should().Be("allocate-within-outstanding");
        decision.Violation.Detail.Should().Contain("50");
    }

    [Fact]
    public void Items_not_requested_and_closed_requests_take_no_allocation()
    {
        var depot = GivenDepot(new StockReceived(DepotId, "Ventilator", 5, "Factory", Now));
        SupplyDecisions.Allocate(depot, GivenRequest(), AllocationId, Lines(("Ventilator", 1)), "r", [], Now)
            .Violation!.Rule.Should().Be("allocate-requested-items");
        SupplyDecisions.Allocate(depot, GivenRequest(new SupplyRequestCancelled(RequestId, "duplicate", Now)), AllocationId, Lines((N95, 1)), "r", [], Now)
            .Violation!.Rule.Should().Be("allocate-open-request");
    }

    [Fact]
    public void Departing_from_the_plan_is_allowed_and_recorded()
    {
        var decision = SupplyDecisions.Allocate(GivenDepot(new StockReceived(DepotId, N95, 800, "Donation", Now)), GivenRequest(),
            AllocationId, Lines((N95, 700)), "Outbreak ward opened tonight", Lines((N95, 400)), Now);
        var allocated = decision.Events.OfType<SuppliesAllocated>().Single();
        allocated.DepartsFromPlan.Should().BeTrue();
        allocated.PlanAdvice.Should().Equal(new SupplyLine(N95, 400));
    }

    [Fact]
    public void Cancelling_an_allocation_releases_exactly_its_reservation()
    {
        var reserved = new StockReserved(DepotId, AllocationId, RequestId, Lines((N95, 300)), Now);
        var allocated = new SuppliesAllocated(RequestId, AllocationId, DepotId, Lines((N95, 300)), "r", [], false, Now);
        var depot = GivenDepot(new StockReceived(DepotId, N95, 800, "Donation", Now), reserved);
        var request = GivenRequest(allocated);

        var decision = SupplyDecisions.CancelAllocation(depot, request, AllocationId, "truck broke down", Now);
        var after = Depot.Evolve(depot, decision.Events[0])!;
        after.Stock[N95].Available.Should().Be(800);
        SupplyRequest.Evolve(request, decision.Events[1])!.Outstanding(N95).Should().Be(1000);

        var cancelled = SupplyRequest.Evolve(request, decision.Events[1])!;
        SupplyDecisions.CancelAllocation(after, cancelled, AllocationId, "again", Now).Violation!.Rule.Should().Be("cancel-reserved-only");
    }

    [Fact]
    public void Cancelling_a_request_releases_every_reserved_allocation_in_the_same_decision()
    {
        var otherDepot = Guid.NewGuid();
        var second = Guid.NewGuid();
        var request = GivenRequest(
            new SuppliesAllocated(RequestId, AllocationId, DepotId, Lines((N95, 300)), "r", [], false, Now),
            new SuppliesAllocated(RequestId, second, otherDepot, Lines((Suits, 50)), "r", [], false, Now));
        SupplyDecisions.DepotsHolding(request).Should().BeEquivalentTo([DepotId, otherDepot]);

        var decision = SupplyDecisions.CancelRequest(request, "Patients transferred", Now);

        decision.Events.Should().BeEquivalentTo(new object[]
        {
            new SupplyRequestCancelled(RequestId, "Patients transferred", Now),
            new ReservationReleased(DepotId, AllocationId, Lines((N95, 300)), "Request cancelled: Patients transferred", Now),
            new AllocationCancelled(RequestId, AllocationId, DepotId, Lines((N95, 300)), "Request cancelled: Patients transferred", Now),
            new ReservationReleased(otherDepot, second, Lines((Suits, 50)), "Request cancelled: Patients transferred", Now),
            new AllocationCancelled(RequestId, second, otherDepot, Lines((Suits, 50)), "Request cancelled: Patients transferred", Now),
        }, o => o.WithStrictOrdering().RespectingRuntimeTypes());
        var after = decision.Events.Aggregate(request, (r, e) => e is ReservationReleased ? r : SupplyRequest.Evolve(r, e)!);
        after.Status.Should().Be(RequestStatus.Cancelled);
        SupplyDecisions.DepotsHolding(after).Should().BeEmpty();
    }

    [Fact]
    public void A_request_already_closed_or_partly_on_the_road_cannot_be_cancelled()
    {
        SupplyDecisions.CancelRequest(GivenRequest(new SupplyRequestCancelled(RequestId, "duplicate", Now)), "again", Now)
            .Violation!.Rule.Should().Be("cancel-open-request");
        var shipped = GivenRequest(new SuppliesAllocated(RequestId, AllocationId, DepotId, Lines((N95, 300)), "r", [], false, Now),
            new AllocationShipped(RequestId, AllocationId, Guid.NewGuid(), Now));
        SupplyDecisions.CancelRequest(shipped, "r", Now).Violation!.Rule.Should().Be("cancel-unshipped");
    }

    [Fact]
    public void Status_follows_the_lines()
    {
        GivenRequest().Status.Should().Be(RequestStatus.Open);
        GivenRequest(new SuppliesAllocated(RequestId, AllocationId, DepotId, Lines((N95, 1000), (Suits, 200)), "r", [], false, Now))
            .Status.Should().Be(RequestStatus.Allocated);
        GivenRequest(new SupplyRequestCancelled(RequestId, "r", Now)).Status.Should().Be(RequestStatus.Cancelled);
    }

    [Fact]
    public void A_receipt_that_would_take_an_item_past_what_a_depot_may_hold_is_refused_naming_the_rule()
    {
        var depot = GivenDepot(new StockReceived(DepotId, N95, Quantities.MaxOnHand - 10, "Stockpile", Now));

        SupplyDecisions.ReceiveStock(depot, N95, 11, "Donation", Now).Violation!.Rule.Should().Be("stock-within-bounds");
        SupplyDecisions.ReceiveStock(depot, N95, 10, "Donation", Now).Violation.Should().BeNull();
        SupplyDecisions.ReceiveStock(depot, Suits, Quantities.MaxPerLine, "Donation", Now).Violation.Should().BeNull();
    }

    [Fact]
    public void What_a_delivery_falls_short_of_goes_back_to_the_request_and_can_be_allocated_again()
    {
        // Given a request covered in full by one allocation, shipped.
        var covered = GivenRequest(
            new SuppliesAllocated(RequestId, AllocationId, DepotId, Lines((N95, 1000), (Suits, 200)), "r", [], false, Now),
            new AllocationShipped(RequestId, AllocationId, Guid.NewGuid(), Now));
        covered.Status.Should().Be(RequestStatus.Allocated);

        // When 700 masks of 1,000 arrive (all the suits do), then the missing 300 are outstanding again and the request waits for them.
        var short300 = SupplyRequest.Evolve(covered,
            new SuppliesDelivered(RequestId, AllocationId, Lines((N95, 700), (Suits, 200)), Now, Lines((N95, 300))))!;
        var masks = short300.Lines.Single(l => l.Item == N95);
        (masks.Allocated, masks.Delivered, masks.ShortOnDelivery, masks.Outstanding).Should().Be((1000L, 700L, 300L, 300L));
        short300.Status.Should().Be(RequestStatus.PartiallyAllocated);
        SupplyNeed.Of(short300)!.WaitingFor.Should().Equal(N95);

        // And a second allocation may cover them, up to the 300 and no more; once they arrive the request is delivered.
        var depot = GivenDepot(new StockReceived(DepotId, N95, 5000, "Donation", Now));
        SupplyDecisions.Allocate(depot, short300, Guid.NewGuid(), Lines((N95, 301)), "r", [], Now).Violation!.Rule.Should().NotBeNull();
        var second = Guid.NewGuid();
        var again = SupplyDecisions.Allocate(depot, short300, second, Lines((N95, 300)), "replace the lost pallets", [], Now);
        var done = new object[] { new AllocationShipped(RequestId, second, Guid.NewGuid(), Now), new SuppliesDelivered(RequestId, second, Lines((N95, 300)), Now, []) }
            .Aggregate(again.Events.OfType<SuppliesAllocated>().Aggregate(short300, (r, e) => SupplyRequest.Evolve(r, e)!), (r, e) => SupplyRequest.Evolve(r, e)!);
        done.Status.Should().Be(RequestStatus.Delivered);

        // A delivery recorded before shortfalls went back (no Shortfall in its event) leaves the line covered, as it was.
        SupplyRequest.Evolve(covered, new SuppliesDelivered(RequestId, AllocationId, Lines((N95, 700), (Suits, 200)), Now))!
            .Status.Should().Be(RequestStatus.Allocated);
    }
}
