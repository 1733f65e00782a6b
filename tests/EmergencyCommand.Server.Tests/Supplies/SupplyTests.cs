using System.Net;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmergencyCommand.Server.Tests.Supplies;

public sealed class SupplyTests(AppFixture fixture) : ServerTest(fixture)
{
    // Item names are unique per test so that the plan and the board only see this test's stock.
    private static string UniqueItem(string name) => $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];

    private async Task<Guid> Depot(string item, long quantity, string jurisdiction = "420100")
    {
        var depot = (await Logistics.Post("/api/depots", new { name = "Hankou depot", jurisdiction })).ShouldBe(HttpStatusCode.Created).Id;
        if (quantity > 0)
            (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity, source = "Donation from Guangdong" })).ShouldBe(HttpStatusCode.OK);
        return depot;
    }

    private async Task<Guid> Request(string item, long quantity, string priority = "Critical", string requester = "Jinyintan Hospital", int neededInHours = 24) =>
        (await Logistics.Post("/api/supply-requests", new
        {
            requester, jurisdiction = "420105", priority,
            lines = new[] { new { item, quantity } },
            neededBy = DateTimeOffset.UtcNow.AddHours(neededInHours).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        })).ShouldBe(HttpStatusCode.Created).Id;

    /// <summary>An allocation of one line from <paramref name="depot"/>, which must be accepted; its id.</summary>
    private async Task<Guid> Allocated(Guid request, Guid depot, string item, long quantity, string rationale = "r") =>
        (await Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity } }, rationale })).ShouldBe(HttpStatusCode.Created).Id;

    private static JsonNode StockOf(JsonNode depot, string item) => depot["stock"]!.AsArray().Single(s => s!["item"]!.ToString() == item)!;

    /// <summary>Who the plan lists as waiting for <paramref name="item"/>, with what each still waits for.</summary>
    private async Task<IEnumerable<(string Requester, long Outstanding)>> Waiting(string item) =>
        (await Logistics.Get($"/api/allocation-plan?item={Uri.EscapeDataString(item)}")).ShouldBe(HttpStatusCode.OK).Json["shares"]!.AsArray()
        .Select(s => (s!["requester"]!.ToString(), s["outstanding"]!.GetValue<long>()));

    [Fact]
    public async Task A_coordinator_allocates_from_a_depot_to_a_request_and_cancelling_releases_the_stock()
    {
        var item = UniqueItem("N95");
        var depot = await Depot(item, 800);
        var request = await Request(item, 1000);

        var allocation = (await Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 500 } }, rationale = "ICU first" })).ShouldBe(HttpStatusCode.Created);
        var allocationId = allocation.Id;
        allocation.Headers["Server-Timing"].Should().MatchRegex(@"^plan;dur=\d+(\.\d+)?$", "the answer says what the plan's advice cost");

        var stock = StockOf((await Reviewer.Get($"/api/depots/{depot}")).ShouldBe(HttpStatusCode.OK).Json, item);
        (stock["onHand"]!.GetValue<long>(), stock["reserved"]!.GetValue<long>(), stock["available"]!.GetValue<long>()).Should().Be((800L, 500L, 300L));

        var view = (await Reviewer.Get($"/api/supply-requests/{request}")).ShouldBe(HttpStatusCode.OK).Json;
        view["status"]!.ToString().Should().Be("PartiallyAllocated");
        view["lines"]![0]!["requested"]!.GetValue<long>().Should().Be(1000);
        view["lines"]![0]!["allocated"]!.GetValue<long>().Should().Be(500);
        view["lines"]![0]!["delivered"]!.GetValue<long>().Should().Be(0);
        view["allocations"]!.AsArray().Single()!["id"]!.ToString().Should().Be(allocationId.ToString());

        (await Logistics.Post($"/api/supply-requests/{request}/allocations/{allocationId}/cancellation", new { reason = "Truck diverted" }))
            .ShouldBe(HttpStatusCode.OK);
        StockOf((await Reviewer.Get($"/api/depots/{depot}")).Json, item)["available"]!.GetValue<long>().Should().Be(800);
        var after = (await Reviewer.Get($"/api/supply-requests/{request}")).Json;
        after["status"]!.ToString().Should().Be("Open");
        after["allocations"]![0]!["status"]!.ToString().Should().Be("Cancelled");
    }

    [Fact]
    public async Task Over_allocation_is_a_409_naming_the_line()
    {
        var item = UniqueItem("Suits");
        var depot = await Depot(item, 100);
        var request = await Request(item, 1000);

        var beyondStock = (await Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 101 } }, rationale = "r" })).ShouldBe(HttpStatusCode.Conflict);
        beyondStock.Json["detail"]!.ToString().Should().Contain(item).And.Contain("available");

        var small = await Request(item, 10);
        var beyondNeed = (await Logistics.Post($"/api/supply-requests/{small}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 11 } }, rationale = "r" })).ShouldBe(HttpStatusCode.Conflict);
        beyondNeed.Json["detail"]!.ToString().Should().Contain("outstanding");

        StockOf((await Reviewer.Get($"/api/depots/{depot}")).Json, item)["reserved"]!.GetValue<long>().Should().Be(0);
    }

    [Fact]
    public async Task Thirty_two_concurrent_allocations_never_over_commit_the_depot()
    {
        // Given a depot of 1,000 and 32 requests of 100 each: exactly 10 allocations can succeed.
        var item = UniqueItem("Masks");
        var depot = await Depot(item, 1000);
        var requests = new List<Guid>();
        for (var i = 0; i < 32; i++) requests.Add(await Request(item, 100, requester: $"Community {i}"));

        var results = await Task.WhenAll(requests.Select(r => Logistics.Post($"/api/supply-requests/{r}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 100 } }, rationale = "Even split" })));

        results.Count(r => r.Status == HttpStatusCode.Created).Should().Be(10, string.Join("\n", results.Select(r => r.ToString())));
        results.Count(r => r.Status == HttpStatusCode.Conflict).Should().Be(22);
        var stock = StockOf((await Reviewer.Get($"/api/depots/{depot}")).Json, item);
        (stock["onHand"]!.GetValue<long>(), stock["reserved"]!.GetValue<long>(), stock["available"]!.GetValue<long>()).Should().Be((1000L, 1000L, 0L));

        var allocated = 0L;
        foreach (var r in requests)
            allocated += (await Reviewer.Get($"/api/supply-requests/{r}")).Json["lines"]![0]!["allocated"]!.GetValue<long>();
        allocated.Should().Be(1000);
    }

    [Fact]
    public async Task Many_allocations_to_one_request_never_over_serve_it()
    {
        var item = UniqueItem("Goggles");
        var depots = new List<Guid>();
        for (var i = 0; i < 4; i++) depots.Add(await Depot(item, 500));
        var request = await Request(item, 600);

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depots[i % 4], lines = new[] { new { item, quantity = 100 } }, rationale = "r" })));

        results.Count(r => r.Status == HttpStatusCode.Created).Should().Be(6);
        results.Should().OnlyContain(r => r.Status == HttpStatusCode.Created || r.Status == HttpStatusCode.Conflict);
        (await Reviewer.Get($"/api/supply-requests/{request}")).Json["status"]!.ToString().Should().Be("Allocated");
    }

    [Fact]
    public async Task Only_coordinators_and_commanders_write_and_only_coordinators_allocate()
    {
        var item = UniqueItem("Gloves");
        (await Reporter.Post("/api/depots", new { name = "x", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Reviewer.Post("/api/depots", new { name = "x", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Wuhan.Post("/api/depots", new { name = "Wuhan city depot", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Created);
        (await Guangdong.Post("/api/depots", new { name = "x", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Forbidden);

        var depot = await Depot(item, 10);
        var request = await Request(item, 5);
        (await Wuhan.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 5 } }, rationale = "r" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Responder.Post($"/api/depots/{depot}/receipts", new { item, quantity = 5, source = "x" })).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Quantities_must_be_whole_and_positive_and_ids_must_exist()
    {
        var item = UniqueItem("Thermometers");
        var depot = await Depot(item, 10);
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 0, source = "x" })).ShouldBe(HttpStatusCode.BadRequest)
            .Json["errors"]!["quantity"].Should().NotBeNull();
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = -3, source = "x" })).ShouldBe(HttpStatusCode.BadRequest);
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 1.5, source = "x" })).ShouldBe(HttpStatusCode.BadRequest);
        (await Logistics.Post("/api/supply-requests", new { requester = "x", jurisdiction = "420105", priority = "Urgent", lines = new[] { new { item, quantity = 1 } }, neededBy = "2020-02-01T00:00:00Z" }))
            .ShouldBe(HttpStatusCode.BadRequest);
        (await Logistics.Post("/api/supply-requests", new { requester = "x", jurisdiction = "420105", priority = "High", lines = new[] { new { item, quantity = 1 }, new { item, quantity = 2 } }, neededBy = "2020-02-01T00:00:00Z" }))
            .ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["lines"].Should().NotBeNull();
        // Dates no command could mean, including those whose offset would carry them off the calendar, name the field.
        foreach (var neededBy in new[] { "0001-01-01T00:00:00+08:00", "9999-12-31T23:00:00-08:00", "1899-12-31T00:00:00Z" })
            (await Logistics.Post("/api/supply-requests", new { requester = "x", jurisdiction = "420105", priority = "High", lines = new[] { new { item, quantity = 1 } }, neededBy }))
                .ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["neededBy"].Should().NotBeNull();

        var request = await Request(item, 5);
        (await Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = Guid.NewGuid(), lines = new[] { new { item, quantity = 1 } }, rationale = "r" })).ShouldBe(HttpStatusCode.NotFound);
        (await Reviewer.Get($"/api/depots/{Guid.NewGuid()}")).ShouldBe(HttpStatusCode.NotFound);
        (await Reviewer.Get($"/api/supply-requests/{Guid.NewGuid()}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_depot_keeps_apart_items_whose_names_differ_only_by_an_ignorable_character()
    {
        // Given a depot that holds an item and a look-alike name (a soft hyphen, which a culture-aware comparison ignores).
        var item = UniqueItem("N95 mask");
        var lookalike = item.Insert(3, "\u00AD");
        var depot = await Depot(item, 800);
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item = lookalike, quantity = 5, source = "Donation" })).ShouldBe(HttpStatusCode.OK);

        // When the depot's document is read back for the next command and for the list, then each name keeps its own stock.
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 1, source = "Donation" })).ShouldBe(HttpStatusCode.OK);
        var listed = (await Logistics.Get("/api/depots")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Single(d => d!["id"]!.GetValue<Guid>() == depot)!;
        StockOf(listed, item)["onHand"]!.GetValue<long>().Should().Be(801);
        StockOf(listed, lookalike)["onHand"]!.GetValue<long>().Should().Be(5);
    }

    [Fact]
    public async Task A_city_cancels_its_own_request_and_allocations_whatever_province_holds_the_reserved_stock()
    {
        // Given a Wuhan request served by the national coordinator from the provincial reserve, outside Wuhan's jurisdiction.
        var item = UniqueItem("Ventilators");
        var depot = await Depot(item, 100, "420000");
        var request = await Request(item, 50);
        var first = await Allocated(request, depot, item, 20, "From the provincial reserve");
        await Allocated(request, depot, item, 20, "From the provincial reserve");

        // When Wuhan's commander cancels one allocation, then the whole request,
        (await Wuhan.Post($"/api/supply-requests/{request}/allocations/{first}/cancellation", new { reason = "Arrived from a donor" })).ShouldBe(HttpStatusCode.OK);
        (await Wuhan.Post($"/api/supply-requests/{request}/cancellation", new { reason = "Patients transferred" })).ShouldBe(HttpStatusCode.OK);

        // then every unit reserved for it is back in the province's depot, and the depot itself stays out of Wuhan's hands.
        StockOf((await Logistics.Get($"/api/depots/{depot}")).ShouldBe(HttpStatusCode.OK).Json, item)["available"]!.GetValue<long>().Should().Be(100);
        (await Wuhan.Post($"/api/depots/{depot}/receipts", new { item, quantity = 1, source = "x" })).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_request_list_gives_the_newest_first_and_filters_status_before_it_pages()
    {
        // Given an open request, then a newer one allocated in full, so that the newest request of all is not open.
        var item = UniqueItem("Oxygen concentrators");
        var depot = await Depot(item, 100);
        var open = await Request(item, 10);
        var served = await Request(item, 5);
        await Allocated(served, depot, item, 5);

        // When the coordinator asks for one page of one open request, then it is an open one at least as new as ours (the
        // filter runs before the page is cut), and the total of open requests comes with it.
        var page = (await Logistics.Get("/api/supply-requests?status=Open&limit=1")).ShouldBe(HttpStatusCode.OK);
        var first = page.Json.AsArray().Should().ContainSingle().Subject!;
        first["status"]!.ToString().Should().Be("Open");
        string.CompareOrdinal(first["id"]!.ToString(), open.ToString()).Should().BeGreaterThanOrEqualTo(0);
        long.Parse(page.Headers["X-Total-Count"]).Should().BePositive();

        // The whole list runs from the newest filed to the oldest, and each status finds its own.
        var ids = (await Logistics.Get("/api/supply-requests")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Select(r => r!["id"]!.ToString()).ToList();
        ids.Should().BeInDescendingOrder(StringComparer.Ordinal).And.Contain([open.ToString(), served.ToString()]);
        ids.IndexOf(served.ToString()).Should().BeLessThan(ids.IndexOf(open.ToString()));
        (await Logistics.Get("/api/supply-requests?status=Allocated")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Select(r => r!["id"]!.ToString())
            .Should().Contain(served.ToString()).And.NotContain(open.ToString());
    }

    [Fact]
    public async Task The_plan_splits_scarce_stock_by_priority_and_in_proportion_and_departures_are_recorded()
    {
        // Hand-computed: 1,000 in stock over two depots; Critical 300 + 200 met in full; High 600 and 300 share 500 as 333 and 167.
        var item = UniqueItem("KN95");
        var depotA = await Depot(item, 600);
        await Depot(item, 400);
        await Request(item, 100, "Normal", "Community A", 48);
        var icu = await Request(item, 300, "Critical", "Jinyintan ICU", 10);
        var union = await Request(item, 600, "High", "Union Hospital", 20);
        var leishenshan = await Request(item, 200, "Critical", "Leishenshan", 5);
        var tongji = await Request(item, 300, "High", "Tongji Hospital", 15);

        var plan = (await Logistics.Get($"/api/allocation-plan?item={Uri.EscapeDataString(item)}")).ShouldBe(HttpStatusCode.OK).Json;
        plan["available"]!.GetValue<long>().Should().Be(1000);
        var shares = plan["shares"]!.AsArray().ToDictionary(s => s!["requester"]!.ToString(), s => s!["recommended"]!.GetValue<long>());
        shares.Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["Leishenshan"] = 200, ["Jinyintan ICU"] = 300, ["Tongji Hospital"] = 167, ["Union Hospital"] = 333, ["Community A"] = 0,
        });
        plan["shares"]!.AsArray().Select(s => s!["requester"]!.ToString()).Should().Equal(
            "Leishenshan", "Jinyintan ICU", "Tongji Hospital", "Union Hospital", "Community A");

        (await Logistics.Post($"/api/supply-requests/{leishenshan}/allocations",
            new { depotId = depotA, lines = new[] { new { item, quantity = 200 } }, rationale = "As planned" })).ShouldBe(HttpStatusCode.Created);
        (await Logistics.Post($"/api/supply-requests/{union}/allocations",
            new { depotId = depotA, lines = new[] { new { item, quantity = 400 } }, rationale = "Union opened a fever ward tonight" })).ShouldBe(HttpStatusCode.Created);

        var allocations = (await Reviewer.Get($"/api/supply-requests/{union}")).Json["allocations"]!.AsArray();
        allocations.Single()!["departsFromPlan"]!.GetValue<bool>().Should().BeTrue();
        (await Reviewer.Get($"/api/supply-requests/{leishenshan}")).Json["allocations"]![0]!["departsFromPlan"]!.GetValue<bool>().Should().BeFalse();
        _ = (icu, tongji);
        (await Logistics.Get("/api/allocation-plan")).ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_plan_weighs_only_open_requests_still_waiting_for_the_item_and_what_each_still_waits_for()
    {
        var masks = UniqueItem("Mask");
        var gowns = UniqueItem("Gown");
        var depot = await Depot(masks, 100);
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item = gowns, quantity = 100, source = "Donation" })).ShouldBe(HttpStatusCode.OK);
        Task Allocate(Guid request, string item, long quantity) => Allocated(request, depot, item, quantity);

        // Given: one request untouched, one partly served, one fully served, one cancelled, and one that asked for both
        // items and is fully served in masks only.
        await Request(masks, 10, "High", "Untouched");
        await Allocate(await Request(masks, 10, "High", "Partly served"), masks, 4);
        await Allocate(await Request(masks, 5, "High", "Fully served"), masks, 5);
        var cancelled = await Request(masks, 7, "High", "Cancelled");
        (await Logistics.Post($"/api/supply-requests/{cancelled}/cancellation", new { reason = "Transferred" })).ShouldBe(HttpStatusCode.OK);
        var both = (await Logistics.Post("/api/supply-requests", new
        {
            requester = "Both items", jurisdiction = "420105", priority = "Normal",
            lines = new[] { new { item = masks, quantity = 3L }, new { item = gowns, quantity = 9L } },
            neededBy = DateTimeOffset.UtcNow.AddHours(24).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        })).ShouldBe(HttpStatusCode.Created).Id;
        await Allocate(both, masks, 3);

        // Then: each item's plan lists exactly the requests still waiting for it, with what they still wait for.
        (await Waiting(masks)).Should().BeEquivalentTo([("Untouched", 10L), ("Partly served", 6L)]);
        (await Waiting(gowns)).Should().BeEquivalentTo([("Both items", 9L)]);
    }

    [Fact]
    public async Task Requests_filed_before_the_plan_read_them_on_their_own_are_given_to_it_at_start()
    {
        var item = UniqueItem("Goggles");
        var depot = await Depot(item, 100);
        var request = await Request(item, 30, "High", "Filed long ago");
        (await Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 12 } }, rationale = "r" })).ShouldBe(HttpStatusCode.Created);

        // Given: a database written before the plan had its own documents.
        var store = Fixture.Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Delete<Domain.Supplies.SupplyNeed>(request);
            await session.SaveChangesAsync();
        }
        (await Waiting(item)).Should().BeEmpty();

        // When: the server starts.
        using var backfill = new Server.Supplies.SupplyNeedBackfill(store, Fixture.Host.Services.GetRequiredService<IHostApplicationLifetime>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Server.Supplies.SupplyNeedBackfill>.Instance);
        await backfill.StartAsync(CancellationToken.None);
        await backfill.ExecuteTask!;

        // Then: the plan weighs the request again, with what it still waits for.
        (await Waiting(item)).Should().BeEquivalentTo([("Filed long ago", 18L)]);
    }

    [Fact]
    public async Task The_plan_follows_every_change_to_what_it_weighs_whatever_it_read_before()
    {
        var item = UniqueItem("Ventilator");
        var depot = await Depot(item, 100);
        var first = await Request(item, 60, "High", "First");
        var second = await Request(item, 80, "High", "Second");
        var store = Fixture.Host.Services.GetRequiredService<IDocumentStore>();

        // The plan as every need and depot document stands now, read by Marten from scratch: what the server's must say.
        async Task<(long, IEnumerable<(string, long, long)>)> FromScratch()
        {
            await using var session = store.QuerySession();
            var available = (await session.Query<Domain.Supplies.Depot>().ToListAsync()).Sum(d => d.Available(item));
            var needs = await session.Query<Domain.Supplies.SupplyNeed>().Where(n => n.IsWaiting && n.WaitingFor.Contains(item)).ToListAsync();
            var shares = Domain.Supplies.AllocationPlan.Recommend(available, needs.Select(n => n.For(item)).OfType<Domain.Supplies.WaitingRequest>());
            return (available, shares.Select(s => (s.Requester, s.Outstanding, s.Recommended)));
        }
        async Task<(long, IEnumerable<(string, long, long)>)> Served()
        {
            var plan = (await Logistics.Get($"/api/allocation-plan?item={Uri.EscapeDataString(item)}")).ShouldBe(HttpStatusCode.OK).Json;
            return (plan["available"]!.GetValue<long>(), plan["shares"]!.AsArray()
                .Select(s => (s!["requester"]!.ToString(), s["outstanding"]!.GetValue<long>(), s["recommended"]!.GetValue<long>())));
        }
        async Task PlanIsCurrent(long available, params (string, long, long)[] shares)
        {
            var (servedAvailable, servedShares) = await Served();
            var (expectedAvailable, expectedShares) = await FromScratch();
            (servedAvailable, expectedAvailable).Should().Be((available, available));
            servedShares.Should().Equal(expectedShares).And.Equal(shares);
        }
        Task Allocate(Guid request, long quantity) => Allocated(request, depot, item, quantity);

        // Given a plan already read; then each change to a need or a depot shows in the next.
        await PlanIsCurrent(100, ("First", 60, 43), ("Second", 80, 57));
        await Allocate(first, 20);
        await PlanIsCurrent(80, ("First", 40, 27), ("Second", 80, 53));
        await Allocate(first, 40);
        await PlanIsCurrent(40, ("Second", 80, 40));
        await Request(item, 10, "Critical", "Third");
        await PlanIsCurrent(40, ("Third", 10, 10), ("Second", 80, 30));
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 60, source = "Donation" })).ShouldBe(HttpStatusCode.OK);
        await PlanIsCurrent(100, ("Third", 10, 10), ("Second", 80, 80));
        (await Logistics.Post($"/api/supply-requests/{second}/cancellation", new { reason = "Transferred" })).ShouldBe(HttpStatusCode.OK);
        await PlanIsCurrent(100, ("Third", 10, 10));
    }

    [Fact]
    public async Task The_plan_reads_a_need_rewritten_in_place_without_a_new_version()
    {
        var item = UniqueItem("Stretcher");
        await Depot(item, 100);
        var request = await Request(item, 30, "High", "Repaired by hand");
        (await Waiting(item)).Should().Equal(("Repaired by hand", 30L));

        // When the need's row is rewritten in place, its document version unchanged (a repair by hand, say).
        var db = Fixture.Host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await using (var repair = db.CreateCommand(
            "update emergency.mt_doc_supplyneed set data = jsonb_set(data, '{lines,0,requested}', '50') where id = $1"))
        {
            repair.Parameters.Add(new Npgsql.NpgsqlParameter { Value = request });
            (await repair.ExecuteNonQueryAsync()).Should().Be(1);
        }

        // Then the next plan reads the row as it now is, not the one read before.
        (await Waiting(item)).Should().Equal(("Repaired by hand", 50L));
    }

    [Fact]
    public async Task The_server_keeps_what_the_plan_read_only_for_items_something_waits_for()
    {
        var waiting = Fixture.Host.Services.GetRequiredService<Server.Supplies.WaitingNeeds>();
        async Task Plan(string item) => (await Logistics.Get($"/api/allocation-plan?item={Uri.EscapeDataString(item)}")).ShouldBe(HttpStatusCode.OK);

        // Any reader may ask about any name: one nothing waits for leaves nothing behind.
        var unknown = UniqueItem("Nothing waits for");
        await Plan(unknown);
        waiting.Holds(unknown).Should().BeFalse();

        // One a request waits for is kept until nothing waits for it any more.
        var item = UniqueItem("Masks");
        var request = await Request(item, 10);
        await Plan(item);
        waiting.Holds(item).Should().BeTrue();
        (await Logistics.Post($"/api/supply-requests/{request}/cancellation", new { reason = "Transferred" })).ShouldBe(HttpStatusCode.OK);
        await Plan(item);
        waiting.Holds(item).Should().BeFalse();
    }

    [Fact]
    public async Task Cancelling_a_request_releases_every_reservation_and_the_board_counts_stock_and_requests()
    {
        var item = UniqueItem("Oxygen");
        var depot = await Depot(item, 50, "420700");
        var request = await Request(item, 40);
        (await Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 30 } }, rationale = "r" })).ShouldBe(HttpStatusCode.Created);

        await Settled();
        var board = (await Reviewer.Get("/api/situation?jurisdiction=420700")).ShouldBe(HttpStatusCode.OK).Json;
        var line = board["stock"]!.AsArray().Single(s => s!["item"]!.ToString() == item)!;
        (line["onHand"]!.GetValue<long>(), line["reserved"]!.GetValue<long>(), line["available"]!.GetValue<long>()).Should().Be((50L, 30L, 20L));
        var national = (await Reviewer.Get("/api/situation")).Json;
        national["requests"]!["outstanding"]!.AsArray().Single(o => o!["item"]!.ToString() == item)!["quantity"]!.GetValue<long>().Should().Be(10);

        (await Logistics.Post($"/api/supply-requests/{request}/cancellation", new { reason = "Patients transferred" })).ShouldBe(HttpStatusCode.OK);
        (await Reviewer.Get($"/api/supply-requests/{request}")).Json["status"]!.ToString().Should().Be("Cancelled");
        StockOf((await Reviewer.Get($"/api/depots/{depot}")).Json, item)["available"]!.GetValue<long>().Should().Be(50);
        (await Logistics.Post($"/api/supply-requests/{request}/cancellation", new { reason = "again" })).ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task If_match_guards_writes_that_change_several_streams_and_a_cancellation_releases_everything_in_one_commit()
    {
        // Given: a request holding stock reserved in two depots (request version 3).
        var item = UniqueItem("Gloves");
        var (east, west) = (await Depot(item, 100), await Depot(item, 100));
        var request = await Request(item, 100);
        async Task<Response> Allocate(Guid depot, int quantity, string? ifMatch = null) =>
            await Logistics.Post($"/api/supply-requests/{request}/allocations",
                new { depotId = depot, lines = new[] { new { item, quantity } }, rationale = "r" },
                h => { if (ifMatch is not null) h.IfMatch.Add(new($"\"{ifMatch}\"")); });
        (await Allocate(east, 30, ifMatch: "1")).ShouldBe(HttpStatusCode.Created);
        (await Allocate(west, 20)).ShouldBe(HttpStatusCode.Created);
        async Task<long> Available(Guid depot) => StockOf((await Reviewer.Get($"/api/depots/{depot}")).Json, item)["available"]!.GetValue<long>();

        // When an allocation and a cancellation name a version the request has left: 412, and nothing moves.
        (await Allocate(east, 10, ifMatch: "2")).ShouldBe(HttpStatusCode.PreconditionFailed);
        (await Logistics.Post($"/api/supply-requests/{request}/cancellation", new { reason = "stale" }, h => h.IfMatch.Add(new("\"2\""))))
            .ShouldBe(HttpStatusCode.PreconditionFailed);
        (await Available(east), await Available(west)).Should().Be((70L, 80L));
        var unchanged = (await Reviewer.Get($"/api/supply-requests/{request}")).Json;
        (unchanged["status"]!.ToString(), unchanged["version"]!.GetValue<long>()).Should().Be(("PartiallyAllocated", 3L));

        // When the cancellation names the current version: both reservations and the request go in one commit.
        var cancelled = (await Logistics.Post($"/api/supply-requests/{request}/cancellation", new { reason = "Patients transferred" },
            h => h.IfMatch.Add(new("\"3\"")))).ShouldBe(HttpStatusCode.OK);
        cancelled.Version.Should().Be(6, "two allocations cancelled and the request cancelled");
        (await Available(east), await Available(west)).Should().Be((100L, 100L));
        await using var events = Fixture.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var onRequest = (await events.Events.FetchStreamAsync(request)).TakeLast(3).ToList();
        onRequest.Select(e => e.EventTypeName).Should().Equal("supply_request_cancelled", "allocation_cancelled", "allocation_cancelled");
        var released = new[] { (await events.Events.FetchStreamAsync(east)).Last(), (await events.Events.FetchStreamAsync(west)).Last() };
        released.Should().OnlyContain(e => e.Data is Domain.Supplies.ReservationReleased);
        onRequest.Concat(released).Select(e => e.Headers!["decision"].ToString()).Distinct().Should().ContainSingle("one command decided all of it");
        await Settled();
        (await Reviewer.Get("/api/decisions?actor=logistics&jurisdiction=420105")).Json.AsArray()
            .Where(d => d!["streamId"]!.ToString() == request.ToString()).Select(d => d!["type"]!.ToString())
            .Should().Equal("SupplyRequested", "SuppliesAllocated", "SuppliesAllocated", "SupplyRequestCancelled");
    }
}
