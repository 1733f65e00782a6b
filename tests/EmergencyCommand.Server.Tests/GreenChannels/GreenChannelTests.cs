using System.Net;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.GreenChannels;

public sealed class GreenChannelTests(AppFixture fixture) : ServerTest(fixture)
{
    private static string In(int days) => DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private async Task<Guid> Channel(string jurisdiction = "000000", string name = "Guangzhou → Wuhan medical corridor") =>
        (await Logistics.Post("/api/green-channels", new
        {
            name, origin = "Guangzhou", destination = "Wuhan",
            checkpoints = new[] { new { code = "YUEHU", name = "Guangdong/Hunan border" }, new { code = "XIANNING", name = "Xianning toll gate" } },
            validFrom = In(-1), validUntil = In(30), cargo = new[] { "Medical supplies" }, jurisdiction,
        })).ShouldBe(HttpStatusCode.Created).Id;

    private async Task<JsonNode> Pass(Guid channel) =>
        (await Logistics.Post($"/api/green-channels/{channel}/passes",
            new { vehiclePlate = "粤A12345", driver = "Li Wei", cargo = new[] { "Medical supplies" }, validUntil = In(3) }))
        .ShouldBe(HttpStatusCode.Created).Json;

    private Task<Response> Check(Guid channel, string checkpoint, string code, string vehiclePlate = "粤A12345") =>
        Responder.Post($"/api/green-channels/{channel}/checkpoints/{checkpoint}/passages", new { passCode = code, vehiclePlate });

    [Fact]
    public async Task Checks_admit_valid_passes_and_record_every_refusal_including_forged_codes()
    {
        var channel = await Channel();
        var pass = await Pass(channel);
        var code = pass["passCode"]!.ToString();
        code.Should().MatchRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$");

        var firstCheck = DateTimeOffset.UtcNow;
        var admitted = (await Check(channel, "YUEHU", code.ToLowerInvariant().Replace("-", " "), "粤a 12345")).ShouldBe(HttpStatusCode.OK).Json;
        admitted["admitted"]!.GetValue<bool>().Should().BeTrue();
        admitted["reason"].Should().BeNull();

        async Task<string> Refusal(string checkpoint, string presented) =>
            (await Check(channel, checkpoint, presented)).ShouldBe(HttpStatusCode.OK).Json["reason"]!.ToString();

        (await Refusal("YUEHU", "ZZZZ-ZZZZ-ZZZZ")).Should().Be("UnknownPass");
        (await Refusal("YUEHU", "'; drop table events; --")).Should().Be("UnknownPass");
        (await Refusal("NOWHERE", code)).Should().Be("UnknownCheckpoint");

        (await Logistics.Post($"/api/green-channels/{channel}/disruptions", new { reason = "Landslide on G4" })).ShouldBe(HttpStatusCode.OK);
        (await Refusal("XIANNING", code)).Should().Be("ChannelDisrupted");
        (await Logistics.Post($"/api/green-channels/{channel}/restoration", new { })).ShouldBe(HttpStatusCode.OK);

        (await Logistics.Post($"/api/green-channels/{channel}/passes/{pass["id"]}/revocation", new { reason = "Driver quarantined" })).ShouldBe(HttpStatusCode.OK);
        (await Refusal("XIANNING", code)).Should().Be("Revoked");

        (await Logistics.Post($"/api/green-channels/{channel}/closure", new { reason = "Corridor no longer needed" })).ShouldBe(HttpStatusCode.OK);
        (await Refusal("XIANNING", code)).Should().Be("ChannelClosed");

        // Checks are kept per Beijing day; a run across Beijing midnight reads both days.
        var checks = new List<JsonNode?>();
        foreach (var day in new[] { firstCheck, DateTimeOffset.UtcNow }.DistinctBy(at => at.ToOffset(TimeSpan.FromHours(8)).Date))
            checks.AddRange((await Reviewer.Get($"/api/green-channels/{channel}/checks?on={Uri.EscapeDataString(day.ToString("O"))}")).ShouldBe(HttpStatusCode.OK).Json.AsArray());
        checks.Select(c => c!["reason"]?.ToString()).Should().Equal(null, "UnknownPass", "UnknownPass", "UnknownCheckpoint", "ChannelDisrupted", "Revoked", "ChannelClosed");
        checks.Should().OnlyContain(c => c!["actor"]!.ToString() == "responder");
        // Each check is recorded as acting on the channel's area, so that area's review tells it, refusals included.
        var reviewed = (await Reviewer.Get($"/api/reviews/jurisdictions/000000?from={Uri.EscapeDataString(firstCheck.AddSeconds(-1).ToString("O"))}"))
            .ShouldBe(HttpStatusCode.OK).Json["timeline"]!.AsArray();
        reviewed.Count(e => e!["type"]!.ToString() == "CheckpointChecked").Should().BeGreaterThanOrEqualTo(7);

        var view = (await Reviewer.Get($"/api/green-channels/{channel}")).ShouldBe(HttpStatusCode.OK).Json;
        view["status"]!.ToString().Should().Be("Closed");
        view["version"]!.GetValue<long>().Should().Be(6, "opened, pass, disrupted, restored, revoked, closed: checks live elsewhere");
        view["passes"]!.AsArray().Single()!["status"]!.ToString().Should().Be("Revoked");
        view.ToJsonString().Should().NotContain(code, "pass codes are shown once, to whoever issued them");

        (await Check(Guid.NewGuid(), "YUEHU", code)).ShouldBe(HttpStatusCode.NotFound);
        (await Reviewer.Post($"/api/green-channels/{channel}/checkpoints/YUEHU/passages", new { passCode = code, vehiclePlate = "粤A12345" })).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Channel_commands_follow_the_status_and_the_roles()
    {
        var channel = await Channel();
        (await Logistics.Post($"/api/green-channels/{channel}/restoration", new { })).ShouldBe(HttpStatusCode.Conflict);
        (await Reporter.Post($"/api/green-channels/{channel}/disruptions", new { reason = "x" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Wuhan.Post($"/api/green-channels/{channel}/disruptions", new { reason = "x" })).ShouldBe(HttpStatusCode.Forbidden, "a city commander does not cover a national corridor");
        (await Logistics.Post($"/api/green-channels/{channel}/passes", new { vehiclePlate = "A", driver = "B", cargo = new[] { "Pigs" }, validUntil = In(1) }))
            .ShouldBe(HttpStatusCode.Conflict).Json["detail"]!.ToString().Should().Contain("Pigs");
        (await Logistics.Post($"/api/green-channels/{channel}/passes/{Guid.NewGuid()}/revocation", new { reason = "x" })).ShouldBe(HttpStatusCode.NotFound);
        (await Logistics.Post("/api/green-channels", new { name = "x", origin = "a", destination = "b", checkpoints = Array.Empty<object>(), validFrom = In(2), validUntil = In(1) }))
            .ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["checkpoints", "validUntil"]);

        var list = (await Reviewer.Get("/api/green-channels")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        list.Should().Contain(c => c!["id"]!.ToString() == channel.ToString());
    }

    private static bool ConcernsWuhan(JsonNode? channel) =>
        channel!["jurisdiction"]!.ToString() is "000000" or "420000" || channel["jurisdiction"]!.ToString().StartsWith("4201");

    [Fact]
    public async Task The_channel_list_keeps_the_readers_area_before_it_cuts_a_page()
    {
        // Given a Guangdong channel named to come first of all, Wuhan's own channel and a national one that crosses Wuhan.
        var guangdongs = await Channel("440000", $"0000 Pearl River delta loop {Guid.NewGuid():N}");
        var wuhans = await Channel("420100");
        var national = await Channel();

        // When Wuhan asks for one channel at a time, then each page holds one that concerns Wuhan, and the total counts
        // only those: the area is filtered before the page is cut, not after.
        var all = (await Wuhan.Get("/api/green-channels")).ShouldBe(HttpStatusCode.OK);
        var listed = all.Json.AsArray();
        listed.Should().OnlyContain(c => ConcernsWuhan(c));
        listed.Select(c => c!["id"]!.ToString()).Should().Contain([wuhans.ToString(), national.ToString()]).And.NotContain(guangdongs.ToString());
        long.Parse(all.Headers["X-Total-Count"]).Should().Be(listed.Count);
        var first = (await Wuhan.Get("/api/green-channels?limit=1")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Should().ContainSingle().Subject;
        first!["id"]!.ToString().Should().Be(listed[0]!["id"]!.ToString());
        (await Wuhan.Get("/api/green-channels?offset=1&limit=1")).Json.AsArray().Should().ContainSingle()
            .Which!["id"]!.ToString().Should().Be(listed[1]!["id"]!.ToString());

        // Guangdong sees its own and the national one, not Wuhan's; the closed filter finds none of today's open ones.
        (await Guangdong.Get("/api/green-channels")).Json.AsArray().Select(c => c!["id"]!.ToString())
            .Should().Contain([guangdongs.ToString(), national.ToString()]).And.NotContain(wuhans.ToString());
        (await Wuhan.Get("/api/green-channels?status=Closed")).Json.AsArray().Select(c => c!["id"]!.ToString())
            .Should().NotContain([wuhans.ToString(), national.ToString()]);
        (await Wuhan.Get("/api/green-channels?limit=0")).ShouldBe(HttpStatusCode.BadRequest).Body.Should().Contain("limit");
    }

    [Fact]
    public async Task A_shipment_carries_an_allocation_to_delivery_and_the_figures_follow()
    {
        var item = $"Suits {Guid.NewGuid():N}"[..14];
        var depot = (await Logistics.Post("/api/depots", new { name = "Guangzhou depot", jurisdiction = "440100" })).Id;
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 1000, source = "Factory" })).ShouldBe(HttpStatusCode.OK);
        var request = (await Logistics.Post("/api/supply-requests", new
        {
            requester = "Jinyintan Hospital", jurisdiction = "420105", priority = "Critical",
            lines = new[] { new { item, quantity = 600 } }, neededBy = In(1),
        })).Id;
        var allocation = (await Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 500 } }, rationale = "ICU" })).ShouldBe(HttpStatusCode.Created).Id;
        var channel = await Channel();
        var pass = await Pass(channel);

        var shipment = (await Logistics.Post("/api/shipments", new { allocationId = allocation, greenChannelId = channel, passId = pass["id"]!.GetValue<Guid>() }))
            .ShouldBe(HttpStatusCode.Created);
        (await Logistics.Post("/api/shipments", new { allocationId = allocation, greenChannelId = channel, passId = pass["id"]!.GetValue<Guid>() }))
            .ShouldBe(HttpStatusCode.Conflict, "an allocation ships once");
        var inTransit = (await Reviewer.Get($"/api/shipments/{shipment.Id}")).ShouldBe(HttpStatusCode.OK).Json;
        inTransit["status"]!.ToString().Should().Be("InTransit");
        inTransit["allocationId"]!.ToString().Should().Be(allocation.ToString());
        inTransit["greenChannelId"]!.ToString().Should().Be(channel.ToString());
        await Settled();
        (await Reviewer.Get("/api/situation")).Json["shipments"]!["inTransit"]!.GetValue<int>().Should().BeGreaterThan(0);

        var code = pass["passCode"]!.ToString();
        (await Check(channel, "YUEHU", code)).Json["admitted"]!.GetValue<bool>().Should().BeTrue();
        (await Check(channel, "XIANNING", code)).Json["admitted"]!.GetValue<bool>().Should().BeTrue();
        (await Reviewer.Get($"/api/shipments/{shipment.Id}")).Json["passages"]!.AsArray().Select(p => p!["checkpointCode"]!.ToString())
            .Should().Equal("YUEHU", "XIANNING");

        (await Responder.Post($"/api/shipments/{shipment.Id}/delivery", new { lines = new[] { new { item, quantity = 501 } } })).ShouldBe(HttpStatusCode.Conflict);
        (await Responder.Post($"/api/shipments/{shipment.Id}/delivery", new { lines = new[] { new { item, quantity = 250 }, new { item = $" {item} ", quantity = 230 } } }))
            .ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["lines"]!.ToString().Should().Contain("each item once");
        (await Responder.Post($"/api/shipments/{shipment.Id}/delivery", new { lines = new[] { new { item, quantity = 480 } }, receivedBy = "Ward 3 head nurse" }))
            .ShouldBe(HttpStatusCode.OK);
        (await Responder.Post($"/api/shipments/{shipment.Id}/delivery", new { lines = new[] { new { item, quantity = 480 } } })).ShouldBe(HttpStatusCode.Conflict);

        var delivered = (await Reviewer.Get($"/api/shipments/{shipment.Id}")).Json;
        delivered["status"]!.ToString().Should().Be("Delivered");
        delivered["shortfall"]!.AsArray().Single()!["quantity"]!.GetValue<long>().Should().Be(20);

        var stock = (await Reviewer.Get($"/api/depots/{depot}")).Json["stock"]!.AsArray().Single()!;
        (stock["onHand"]!.GetValue<long>(), stock["reserved"]!.GetValue<long>(), stock["available"]!.GetValue<long>()).Should().Be((500L, 0L, 500L));
        // The 20 that never arrived are outstanding again, beside the 100 never allocated: the hospital still needs them.
        var line = (await Reviewer.Get($"/api/supply-requests/{request}")).Json["lines"]![0]!;
        (line["requested"]!.GetValue<long>(), line["allocated"]!.GetValue<long>(), line["delivered"]!.GetValue<long>()).Should().Be((600L, 500L, 480L));
        (line["shortOnDelivery"]!.GetValue<long>(), line["outstanding"]!.GetValue<long>()).Should().Be((20L, 120L));
        (await Reviewer.Get($"/api/allocation-plan?item={Uri.EscapeDataString(item)}")).Json["shares"]!.AsArray()
            .Single(s => s!["requestId"]!.ToString() == request.ToString())!["outstanding"]!.GetValue<long>().Should().Be(120);
        (await Reviewer.Get($"/api/supply-requests/{request}")).Json["allocations"]![0]!["status"]!.ToString().Should().Be("Delivered");

        // The list puts what is on the road first, then the newest dispatched, and cuts its pages in that order.
        var listed = (await Reviewer.Get("/api/shipments")).ShouldBe(HttpStatusCode.OK);
        var rows = listed.Json.AsArray();
        long.Parse(listed.Headers["X-Total-Count"]).Should().Be(rows.Count);
        rows.Select(r => r!["status"]!.ToString() == "InTransit").Should().BeInDescendingOrder();
        foreach (var group in rows.GroupBy(r => r!["status"]!.ToString()))
            group.Select(r => DateTimeOffset.Parse(r!["dispatchedAt"]!.ToString())).Should().BeInDescendingOrder();
        rows.Select(r => r!["id"]!.ToString()).Should().Contain(shipment.Id.ToString());
        var second = (await Reviewer.Get("/api/shipments?offset=1&limit=1")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        second.Select(r => r!["id"]!.ToString()).Should().Equal(rows.Skip(1).Take(1).Select(r => r!["id"]!.ToString()));
        (await Reviewer.Get("/api/shipments?status=Delivered")).Json.AsArray().Should().Contain(r => r!["id"]!.ToString() == shipment.Id.ToString())
            .And.OnlyContain(r => r!["status"]!.ToString() == "Delivered");
    }

    [Fact]
    public async Task A_city_puts_its_own_supplies_on_the_nations_corridor_but_not_on_another_provinces_road()
    {
        // Given a Wuhan request allocated from a Wuhan depot, a national corridor and a Guangdong road, each with a pass.
        var item = $"Beds {Guid.NewGuid():N}"[..13];
        var depot = (await Wuhan.Post("/api/depots", new { name = "Wuhan depot", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Created).Id;
        (await Wuhan.Post($"/api/depots/{depot}/receipts", new { item, quantity = 20, source = "Factory" })).ShouldBe(HttpStatusCode.OK);
        var request = (await Wuhan.Post("/api/supply-requests", new
        {
            requester = "Wuchang Fangcang", jurisdiction = "420106", priority = "High", lines = new[] { new { item, quantity = 10 } }, neededBy = In(1),
        })).ShouldBe(HttpStatusCode.Created).Id;
        async Task<Guid> Allocation() => (await Logistics.Post($"/api/supply-requests/{request}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 5 } }, rationale = "beds" })).ShouldBe(HttpStatusCode.Created).Id;
        var (first, second) = (await Allocation(), await Allocation());
        var national = await Channel();
        var guangdong = await Channel("440000", "Pearl River loop");
        Guid PassOf(JsonNode pass) => pass["id"]!.GetValue<Guid>();
        var (nationalPass, guangdongPass) = (PassOf(await Pass(national)), PassOf(await Pass(guangdong)));

        // When Wuhan's commander dispatches on the national corridor, then the shipment leaves; the corridor itself is unchanged.
        var before = (await Logistics.Get($"/api/green-channels/{national}")).Json["version"]!.GetValue<long>();
        (await Wuhan.Post("/api/shipments", new { allocationId = first, greenChannelId = national, passId = nationalPass })).ShouldBe(HttpStatusCode.Created);
        (await Logistics.Get($"/api/green-channels/{national}")).Json["version"]!.GetValue<long>().Should().Be(before);

        // A road run by another province does not concern Wuhan: it answers as if unknown, and nothing leaves.
        (await Wuhan.Post("/api/shipments", new { allocationId = second, greenChannelId = guangdong, passId = guangdongPass })).ShouldBe(HttpStatusCode.NotFound);
        (await Wuhan.Get($"/api/supply-requests/{request}")).Json["allocations"]!.AsArray().Select(a => a!["status"]!.ToString())
            .Should().Equal("Shipped", "Reserved");
    }

    [Fact]
    public async Task A_shipment_needs_an_open_channel_and_a_valid_pass()
    {
        var item = $"Gowns {Guid.NewGuid():N}"[..14];
        var depot = (await Logistics.Post("/api/depots", new { name = "d", jurisdiction = "440100" })).Id;
        await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 10, source = "x" });
        var request = (await Logistics.Post("/api/supply-requests", new { requester = "r", jurisdiction = "420105", priority = "High", lines = new[] { new { item, quantity = 10 } }, neededBy = In(1) })).Id;
        var allocation = (await Logistics.Post($"/api/supply-requests/{request}/allocations", new { depotId = depot, lines = new[] { new { item, quantity = 10 } }, rationale = "r" })).Id;
        var channel = await Channel();
        var pass = await Pass(channel);
        var passId = pass["id"]!.GetValue<Guid>();

        await Logistics.Post($"/api/green-channels/{channel}/disruptions", new { reason = "Snow" });
        (await Logistics.Post("/api/shipments", new { allocationId = allocation, greenChannelId = channel, passId })).ShouldBe(HttpStatusCode.Conflict);
        await Logistics.Post($"/api/green-channels/{channel}/restoration", new { });
        await Logistics.Post($"/api/green-channels/{channel}/passes/{passId}/revocation", new { reason = "Driver quarantined" });
        (await Logistics.Post("/api/shipments", new { allocationId = allocation, greenChannelId = channel, passId })).ShouldBe(HttpStatusCode.Conflict)
            .Json["detail"]!.ToString().Should().Contain("revoked");
        (await Logistics.Post("/api/shipments", new { allocationId = Guid.NewGuid(), greenChannelId = channel, passId })).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Simultaneous_checks_at_a_channel_are_all_answered_and_all_recorded_and_one_pass_is_admitted_once_a_checkpoint()
    {
        var channel = await Channel();
        var code = (await Pass(channel))["passCode"]!.ToString();
        var started = DateTimeOffset.UtcNow;

        // The first checks of the day at two checkpoints at once: each starts, or joins, the channel's day of checks.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Check(channel, i % 2 == 0 ? "YUEHU" : "XIANNING", i % 4 < 2 ? code : "ZZZZ-ZZZZ-ZZZZ")));

        answers.Should().OnlyContain(a => a.Status == HttpStatusCode.OK, string.Join("\n", answers.Select(a => a.ToString())));
        answers.Count(a => a.Json["admitted"]!.GetValue<bool>()).Should().Be(2, "checks take turns, and each sees the admission before it");
        answers.Count(a => a.Json["reason"]?.ToString() == "DuplicateUse").Should().Be(6);
        var checks = new List<JsonNode?>();
        foreach (var day in new[] { started, DateTimeOffset.UtcNow }.DistinctBy(at => at.ToOffset(TimeSpan.FromHours(8)).Date))
            checks.AddRange((await Reviewer.Get($"/api/green-channels/{channel}/checks?on={Uri.EscapeDataString(day.ToString("O"))}")).Json.AsArray());
        checks.Should().HaveCount(16, "every check is recorded");
    }
}
