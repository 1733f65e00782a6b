using System.Net;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>Lists show state too: with <c>?asOf=</c> each item is as it stood then, with the version it had then.</summary>
public sealed class ListsAsOfTests(AppFixture fixture) : ServerTest(fixture)
{
    private static string In(int days) => DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static JsonNode Item(Response list, Guid id) => list.ShouldBe(HttpStatusCode.OK).Json.AsArray().SingleOrDefault(i => i!["id"]!.ToString() == id.ToString())
        ?? throw new InvalidOperationException($"{id} is not in the list: {list.Body[..Math.Min(list.Body.Length, 500)]}");

    private static bool Lists(Response list, Guid id) => list.ShouldBe(HttpStatusCode.OK).Json.AsArray().Any(i => i!["id"]!.ToString() == id.ToString());

    [Fact]
    public async Task Lists_and_the_allocation_plan_show_each_item_as_it_stood_at_as_of()
    {
        // Given: a channel, a depot with stock, a request for it and a report, all recorded before `then`.
        var item = $"Ventilator {Guid.NewGuid():N}"[..19];
        var channel = (await Logistics.Post("/api/green-channels", new
        {
            name = $"Corridor {item}", origin = "Changsha", destination = "Wuhan",
            checkpoints = new[] { new { code = "YUEHU", name = "Border" } },
            validFrom = In(-1), validUntil = In(30), cargo = new[] { "Medical supplies" }, jurisdiction = "420000",
        })).ShouldBe(HttpStatusCode.Created).Id;
        var depot = (await Logistics.Post("/api/depots", new { name = $"Depot {item}", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Created).Id;
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 100, source = "Factory" })).ShouldBe(HttpStatusCode.OK);
        var request = (await Logistics.Post("/api/supply-requests", new
        {
            requester = "Leishenshan Hospital", jurisdiction = "420114", priority = "Critical",
            lines = new[] { new { item, quantity = 40 } }, neededBy = In(1),
        })).ShouldBe(HttpStatusCode.Created).Id;
        var incident = await Reported("420111");
        await Task.Delay(50);
        var then = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        await Task.Delay(50);

        // When: everything changes afterwards, and a new depot appears.
        (await Logistics.Post($"/api/green-channels/{channel}/closure", new { reason = "No longer needed" })).ShouldBe(HttpStatusCode.OK);
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 50, source = "Donation" })).ShouldBe(HttpStatusCode.OK);
        (await Logistics.Post($"/api/supply-requests/{request}/cancellation", new { reason = "Patients transferred" })).ShouldBe(HttpStatusCode.OK);
        (await Wuhan.Post($"/api/incidents/{incident}/verify", new { note = "ok" })).ShouldBe(HttpStatusCode.OK);
        var later = (await Logistics.Post("/api/depots", new { name = $"Later {item}", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Created).Id;

        // Then: now, the lists show the changes and each item's current version.
        var channelNow = Item(await Reviewer.Get("/api/green-channels"), channel);
        (channelNow["status"]!.ToString(), channelNow["version"]!.GetValue<long>()).Should().Be(("Closed", 2L));
        var depotNow = Item(await Reviewer.Get("/api/depots"), depot);
        (depotNow["stock"]![0]!["onHand"]!.GetValue<long>(), depotNow["version"]!.GetValue<long>()).Should().Be((150L, 3L));
        Item(await Reviewer.Get("/api/supply-requests"), request)["status"]!.ToString().Should().Be("Cancelled");
        Lists(await Reviewer.Get("/api/incidents?status=Reported&jurisdiction=420111"), incident).Should().BeFalse();
        (await Reviewer.Get($"/api/allocation-plan?item={Uri.EscapeDataString(item)}")).Json["shares"]!.AsArray().Should().BeEmpty();

        // And as of then, each as it stood, with the version it had; what did not exist yet is not listed.
        var channelThen = Item(await Reviewer.Get($"/api/green-channels?asOf={then}"), channel);
        (channelThen["status"]!.ToString(), channelThen["version"]!.GetValue<long>()).Should().Be(("Open", 1L));
        Lists(await Reviewer.Get($"/api/green-channels?status=Closed&asOf={then}"), channel).Should().BeFalse();
        var depots = await Reviewer.Get($"/api/depots?asOf={then}");
        var depotThen = Item(depots, depot);
        (depotThen["stock"]![0]!["onHand"]!.GetValue<long>(), depotThen["version"]!.GetValue<long>()).Should().Be((100L, 2L));
        Lists(depots, later).Should().BeFalse();
        var requestThen = Item(await Reviewer.Get($"/api/supply-requests?status=Open&asOf={then}"), request);
        (requestThen["status"]!.ToString(), requestThen["version"]!.GetValue<long>()).Should().Be(("Open", 1L));
        Item(await Reviewer.Get($"/api/incidents?status=Reported&jurisdiction=420111&asOf={then}"), incident)["status"]!.ToString().Should().Be("Reported");
        // Without a status, every item that existed then is in the list as of then: pages and totals are exact.
        Item(await Reviewer.Get($"/api/supply-requests?asOf={then}"), request)["status"]!.ToString().Should().Be("Open");
        var reportedThen = await Reviewer.Get($"/api/incidents?jurisdiction=420111&asOf={then}");
        Item(reportedThen, incident)["status"]!.ToString().Should().Be("Reported");
        long.Parse(reportedThen.Headers["X-Total-Count"]).Should().Be(reportedThen.Json.AsArray().Count);
        var newest = (await Reviewer.Get($"/api/incidents?jurisdiction=420111&asOf={then}&limit=1")).ShouldBe(HttpStatusCode.OK);
        newest.Json.AsArray().Select(i => i!["id"]!.ToString()).Should().Equal(reportedThen.Json.AsArray().Take(1).Select(i => i!["id"]!.ToString()));
        newest.Headers["X-Total-Count"].Should().Be(reportedThen.Headers["X-Total-Count"]);
        var plan = (await Reviewer.Get($"/api/allocation-plan?item={Uri.EscapeDataString(item)}&asOf={then}")).ShouldBe(HttpStatusCode.OK).Json;
        plan["available"]!.GetValue<long>().Should().Be(100);
        plan["shares"]!.AsArray().Single()!["requestId"]!.ToString().Should().Be(request.ToString());

        (await Reviewer.Get("/api/depots?asOf=yesterday")).ShouldBe(HttpStatusCode.BadRequest).Body.Should().Contain("asOf");
    }
}
