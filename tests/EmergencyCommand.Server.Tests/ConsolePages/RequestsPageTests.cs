using System.Net;
using Bunit;
using EmergencyCommand.Server.Supplies.Pages;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.ConsolePages;

public sealed class RequestsPageTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    [Fact]
    public async Task An_allocation_starts_from_the_plan_and_departing_from_it_asks_for_a_reason_the_server_insists_on()
    {
        // Given a depot with 100 ventilators and a request for 60 of them (the plan advises all 60)
        var logistics = As("logistics");
        var depot = (await logistics.Post("/api/depots", new { name = "Qiaokou depot", jurisdiction = "420104" })).ShouldBe(HttpStatusCode.Created).Id;
        (await logistics.Post($"/api/depots/{depot}/receipts", new { item = "Ventilator", quantity = 100, source = "Ministry" })).ShouldBe(HttpStatusCode.OK);
        var request = (await logistics.Post("/api/supply-requests", new
        {
            requester = "Leishenshan Hospital", jurisdiction = "420104", priority = "Critical",
            lines = new[] { new { item = "Ventilator", quantity = 60 } }, neededBy = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
        })).ShouldBe(HttpStatusCode.Created).Id;
        SignedInAs("logistics", ["LogisticsCoordinator"], ["000000"]);

        // When the coordinator opens the queue
        var page = Bunit.Render<Requests>();
        var card = $"[data-request='{request}']";
        page.WaitForAssertion(() => page.Find($"{card} .allocate-line input").GetAttribute("value").Should().Be("60"), TimeSpan.FromSeconds(10));
        page.Find($"{card} .allocate-rationale textarea").GetAttribute("value").Should().Be("按调配方案分配");
        page.FindAll($"{card} [data-testid=departs]").Should().BeEmpty();

        // Then moving off the plan empties the reason and says why one is needed
        page.Find($"{card} .allocate-line input").Change("40");
        page.WaitForAssertion(() => page.Find($"{card} [data-testid=departs]").TextContent.Should().Contain("理由"));
        page.Find($"{card} .allocate-rationale textarea").GetAttribute("value").Should().BeNullOrEmpty();

        // and allocating without one shows the server's own field error beside the field, recording nothing
        await page.InvokeAsync(() => page.Find($"{card} [data-action=allocate]").Click());
        page.WaitForAssertion(() => page.Find($"{card} .allocate-rationale").TextContent.Should().Contain("required"), TimeSpan.FromSeconds(10));
        (await logistics.Get($"/api/supply-requests/{request}")).Json["allocations"]!.AsArray().Should().BeEmpty();

        // and with a reason it is recorded as departing from the plan
        page.Find($"{card} .allocate-rationale textarea").Change("Keep 20 back for Huoshenshan");
        await page.InvokeAsync(() => page.Find($"{card} [data-action=allocate]").Click());
        page.WaitForAssertion(() => page.Find($"{card} [data-allocation]").GetAttribute("data-status").Should().Be("Reserved"), TimeSpan.FromSeconds(10));
        var allocation = (await logistics.Get($"/api/supply-requests/{request}")).Json["allocations"]![0]!;
        ((bool)allocation["departsFromPlan"]!).Should().BeTrue();
        ((long)allocation["lines"]![0]!["quantity"]!).Should().Be(40);
    }

    [Fact]
    public async Task The_queue_shows_what_still_needs_work_and_the_closed_requests_only_when_asked()
    {
        // Given a request cancelled and another still open
        var logistics = As("logistics");
        object Filing(string requester) => new
        {
            requester, jurisdiction = "420104", priority = "High",
            lines = new[] { new { item = "Protective suit", quantity = 10 } }, neededBy = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
        };
        var cancelled = (await logistics.Post("/api/supply-requests", Filing("Wuchang Fangcang"))).ShouldBe(HttpStatusCode.Created).Id;
        (await logistics.Post($"/api/supply-requests/{cancelled}/cancellation", new { reason = "Patients transferred" })).ShouldBe(HttpStatusCode.OK);
        var open = (await logistics.Post("/api/supply-requests", Filing("Hongshan Fangcang"))).ShouldBe(HttpStatusCode.Created).Id;
        SignedInAs("logistics", ["LogisticsCoordinator"], ["000000"]);

        // When the coordinator opens the queue, then the open one is there and the cancelled one is not,
        var page = Bunit.Render<Requests>();
        page.WaitForAssertion(() => page.FindAll($"[data-request='{open}']").Should().ContainSingle(), TimeSpan.FromSeconds(10));
        page.FindAll($"[data-request='{cancelled}']").Should().BeEmpty();

        // until the closed ones are asked for.
        await page.InvokeAsync(() => page.Find(".page-head input[type=checkbox]").Change(true));
        page.WaitForAssertion(() => page.Find($"[data-request='{cancelled}']").GetAttribute("data-status").Should().Be("Cancelled"), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_short_delivery_puts_the_request_back_in_the_queue_with_the_missing_units_to_allocate()
    {
        // Given 10 oxygen cylinders allocated in full, shipped on a channel and only 7 received
        var logistics = As("logistics");
        string In(int hours) => DateTimeOffset.UtcNow.AddHours(hours).ToString("O");
        var depot = (await logistics.Post("/api/depots", new { name = "Hanyang depot", jurisdiction = "420105" })).ShouldBe(HttpStatusCode.Created).Id;
        (await logistics.Post($"/api/depots/{depot}/receipts", new { item = "Oxygen cylinder", quantity = 50, source = "Ministry" })).ShouldBe(HttpStatusCode.OK);
        var request = (await logistics.Post("/api/supply-requests", new
        {
            requester = "Hanyang Fangcang", jurisdiction = "420105", priority = "Critical",
            lines = new[] { new { item = "Oxygen cylinder", quantity = 10 } }, neededBy = In(24),
        })).ShouldBe(HttpStatusCode.Created).Id;
        var allocation = (await logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item = "Oxygen cylinder", quantity = 10 } }, rationale = "all of it" })).ShouldBe(HttpStatusCode.Created).Id;
        var channel = (await logistics.Post("/api/green-channels", new
        {
            name = "Hanyang loop", origin = "Depot", destination = "Fangcang", checkpoints = new[] { new { code = "HY-1", name = "Gate" } },
            validFrom = In(-1), validUntil = In(48), cargo = new[] { "Medical supplies" }, jurisdiction = "420105",
        })).ShouldBe(HttpStatusCode.Created).Id;
        var pass = (await logistics.Post($"/api/green-channels/{channel}/passes",
            new { vehiclePlate = "鄂A77777", driver = "Wang", cargo = new[] { "Medical supplies" }, validUntil = In(24) })).ShouldBe(HttpStatusCode.Created).Json["id"]!.GetValue<Guid>();
        var shipment = (await logistics.Post("/api/shipments", new { allocationId = allocation, greenChannelId = channel, passId = pass })).ShouldBe(HttpStatusCode.Created).Id;
        (await logistics.Post($"/api/shipments/{shipment}/delivery", new { lines = new[] { new { item = "Oxygen cylinder", quantity = 7 } } })).ShouldBe(HttpStatusCode.OK);
        SignedInAs("logistics", ["LogisticsCoordinator"], ["000000"]);

        // When the coordinator opens the queue, then the request is back in it, says 3 arrived short, and offers to allocate those 3
        var page = Bunit.Render<Requests>();
        var card = $"[data-request='{request}']";
        page.WaitForAssertion(() => page.Find($"{card} .allocate-line input").GetAttribute("value").Should().Be("3"), TimeSpan.FromSeconds(10));
        page.Find($"{card} [data-testid=short]").TextContent.Should().Contain("3");
    }

    /// <summary>A page that hears of no change: it shows what it read until the user reloads.</summary>
    private sealed class NoLiveUpdates : EmergencyCommand.Server.Ui.ILiveUpdates
    {
        public event Func<Task>? Changed { add { } remove { } }
    }

    [Fact]
    public async Task A_form_gone_stale_is_prepared_again_on_reload_and_an_empty_allocation_says_why_it_was_refused()
    {
        // Given a request for 30 masks and 100 in a depot
        var logistics = As("logistics");
        var item = $"Masks {Guid.NewGuid():N}"[..14];
        var depot = (await logistics.Post("/api/depots", new { name = "Jiangxia depot", jurisdiction = "420115" })).ShouldBe(HttpStatusCode.Created).Id;
        (await logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 100, source = "Ministry" })).ShouldBe(HttpStatusCode.OK);
        var request = (await logistics.Post("/api/supply-requests", new
        {
            requester = "Jiangxia Fangcang", jurisdiction = "420115", priority = "High",
            lines = new[] { new { item, quantity = 30 } }, neededBy = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
        })).ShouldBe(HttpStatusCode.Created).Id;
        SignedInAs("logistics", ["LogisticsCoordinator"], ["000000"], new NoLiveUpdates());
        var page = Bunit.Render<Requests>();
        var card = $"[data-request='{request}']";
        page.WaitForAssertion(() => page.Find($"{card} .allocate-line input").GetAttribute("value").Should().Be("30"), TimeSpan.FromSeconds(10));

        // When another coordinator allocates 10 first, this page's allocation is refused as stale,
        (await logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 10 } }, rationale = "first in" })).ShouldBe(HttpStatusCode.Created);
        await page.InvokeAsync(() => page.Find($"{card} [data-action=allocate]").Click());
        page.WaitForAssertion(() => page.Find($"{card} [data-testid=stale]"), TimeSpan.FromSeconds(10));

        // and on reload the form starts again from the request as it now is: 20 left, and allocating them is recorded.
        await page.InvokeAsync(() => page.Find($"{card} #stale-reload").Click());
        page.WaitForAssertion(() => page.Find($"{card} .allocate-line input").GetAttribute("value").Should().Be("20"), TimeSpan.FromSeconds(10));
        page.FindAll($"{card} [data-testid=stale]").Should().BeEmpty();

        // An allocation of nothing is refused, and the page says why beside the lines.
        page.Find($"{card} .allocate-line input").Change("0");
        await page.InvokeAsync(() => page.Find($"{card} [data-action=allocate]").Click());
        page.WaitForAssertion(() => page.Find($"{card} [data-testid=lines-error]").TextContent.Should().Contain("at least one line"), TimeSpan.FromSeconds(10));

        page.Find($"{card} .allocate-line input").Change("20");
        page.Find($"{card} .allocate-rationale textarea").Change("the rest");
        await page.InvokeAsync(() => page.Find($"{card} [data-action=allocate]").Click());
        page.WaitForAssertion(() => page.FindAll($"{card} [data-allocation]").Should().HaveCount(2), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_city_commander_cancels_what_the_server_lets_them_and_is_offered_no_allocation()
    {
        // Given a Wuhan request allocated in full (no longer open, still cancellable) and a Guangdong one
        var logistics = As("logistics");
        var item = $"Gloves {Guid.NewGuid():N}"[..15];
        var depot = (await logistics.Post("/api/depots", new { name = "Qingshan depot", jurisdiction = "420107" })).ShouldBe(HttpStatusCode.Created).Id;
        (await logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 100, source = "Ministry" })).ShouldBe(HttpStatusCode.OK);
        object Filing(string requester, string jurisdiction) => new
        {
            requester, jurisdiction, priority = "High", lines = new[] { new { item, quantity = 10 } }, neededBy = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
        };
        var wuhans = (await logistics.Post("/api/supply-requests", Filing("Qingshan Fangcang", "420107"))).ShouldBe(HttpStatusCode.Created).Id;
        (await logistics.Post($"/api/supply-requests/{wuhans}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 10 } }, rationale = "all" })).ShouldBe(HttpStatusCode.Created);
        var guangdongs = (await logistics.Post("/api/supply-requests", Filing("Panyu Fangcang", "440113"))).ShouldBe(HttpStatusCode.Created).Id;

        // When Wuhan's commander opens the queue, then their request offers cancelling (of it and of its allocation) and no
        // allocation form, which is a coordinator's; Guangdong's request is not theirs to see.
        SignedInAs("wuhan", ["Commander"], ["420100"]);
        var page = Bunit.Render<Requests>();
        var card = $"[data-request='{wuhans}']";
        page.WaitForAssertion(() => page.Find($"{card} [data-action=cancel-request]"), TimeSpan.FromSeconds(10));
        page.FindAll($"{card} [data-action=cancel-allocation]").Should().ContainSingle();
        page.FindAll($"{card} [data-action=allocate]").Should().BeEmpty();
        page.FindAll($"[data-request='{guangdongs}']").Should().BeEmpty();

        // and cancelling is recorded, the stock going back to the depot.
        page.Find($"{card} .inline-form textarea, {card} .inline-form input").Change("Patients moved to Leishenshan");
        await page.InvokeAsync(() => page.Find($"{card} [data-action=cancel-request]").Click());
        page.WaitForAssertion(() => page.FindAll(card).Should().BeEmpty("a cancelled request leaves the queue"), TimeSpan.FromSeconds(10));
        (await logistics.Get($"/api/supply-requests/{wuhans}")).Json["status"]!.ToString().Should().Be("Cancelled");
    }
}
