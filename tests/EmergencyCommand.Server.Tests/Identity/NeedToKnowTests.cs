using System.Net;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Identity;

/// <summary>A user reads what happens in their jurisdictions' subtree; response levels are public; personal data only for those who need it.</summary>
public sealed class NeedToKnowTests(AppFixture fixture) : ServerTest(fixture)
{
    private static string Soon(int hours) => DateTimeOffset.UtcNow.AddHours(hours).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private async Task<Guid> Channel(string jurisdiction) =>
        (await Logistics.Post("/api/green-channels", new
        {
            name = $"Corridor {jurisdiction}", origin = "A", destination = "B", checkpoints = new[] { new { code = "CP1", name = "Gate" } },
            validFrom = Soon(-1), validUntil = Soon(24 * 30), cargo = new[] { "Medical supplies" }, jurisdiction,
        })).ShouldBe(HttpStatusCode.Created).Id;

    [Fact]
    public async Task Lists_the_board_and_decisions_hold_only_the_readers_subtree_while_levels_stay_public()
    {
        var inWuhan = await Verified("420103");
        var inGuangzhou = await Verified("440104");
        (await Guangdong.Post("/api/jurisdictions/440000/response-level", new { level = "II", rationale = "Imported cases" })).ShouldBe(HttpStatusCode.OK);
        await Settled();

        var listed = (await Reporter.Get("/api/incidents")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Select(i => i!["id"]!.ToString()).ToList();
        listed.Should().Contain(inWuhan.ToString()).And.NotContain(inGuangzhou.ToString());
        (await Reporter.Get($"/api/incidents?jurisdiction=440000")).Json.AsArray().Should().BeEmpty("asking for another province shows nothing of it");
        (await Reporter.Get($"/api/incidents/{inGuangzhou}")).ShouldBe(HttpStatusCode.NotFound);
        (await Reporter.Get($"/api/incidents/{inGuangzhou}/timeline")).ShouldBe(HttpStatusCode.NotFound);

        var board = (await Wuhan.Get("/api/situation")).ShouldBe(HttpStatusCode.OK).Json;
        var national = (await National.Get("/api/situation")).Json;
        board["incidents"]!["total"]!.GetValue<int>().Should().BeLessThan(national["incidents"]!["total"]!.GetValue<int>());
        board["responseLevels"]!.AsArray().Select(l => l!["jurisdiction"]!.ToString()).Should().Contain("440000", "response levels are published");

        var decisions = (await Wuhan.Get("/api/decisions")).Json.AsArray().Select(d => d!["jurisdiction"]?.ToString()).ToList();
        decisions.Should().NotBeEmpty().And.OnlyContain(j => j != null && j.StartsWith("4201"));
        (await Guangdong.Get("/api/decisions")).Json.AsArray().Should().Contain(d => d!["type"]!.ToString() == "ResponseLevelDeclared");
    }

    [Fact]
    public async Task Plates_and_drivers_reach_only_coordinators_reviewers_and_commanders_of_the_channel()
    {
        var wuhanChannel = await Channel("420100");
        var nationalChannel = await Channel("000000");
        foreach (var channel in new[] { wuhanChannel, nationalChannel })
            (await Logistics.Post($"/api/green-channels/{channel}/passes",
                new { vehiclePlate = "鄂A·55555", driver = "张师傅 Zhang", cargo = new[] { "Medical supplies" }, validUntil = Soon(48) }))
                .ShouldBe(HttpStatusCode.Created);

        string Plate(Response r) => r.ShouldBe(HttpStatusCode.OK).Json["passes"]![0]!["vehiclePlate"]!.ToString();
        Plate(await Logistics.Get($"/api/green-channels/{nationalChannel}")).Should().Be("鄂A·55555");
        Plate(await Reviewer.Get($"/api/green-channels/{nationalChannel}")).Should().Be("鄂A·55555");
        Plate(await Wuhan.Get($"/api/green-channels/{wuhanChannel}")).Should().Be("鄂A·55555");
        Plate(await Wuhan.Get($"/api/green-channels/{nationalChannel}")).Should().Be("(withheld)", "the national corridor crosses Wuhan, but its drivers are the nation's");
        Plate(await Reporter.Get($"/api/green-channels/{wuhanChannel}")).Should().Be("(withheld)");
        (await Guangdong.Get($"/api/green-channels/{wuhanChannel}")).ShouldBe(HttpStatusCode.NotFound);

        await Settled();
        string ReplayedPlate(Response r) => r.ShouldBe(HttpStatusCode.OK).Json.AsArray().First(e => e!["type"]!.ToString() == "PassIssued")!["data"]!["vehiclePlate"]!.ToString();
        ReplayedPlate(await Reviewer.Get("/api/replay?limit=1000")).Should().Be("鄂A·55555");
        ReplayedPlate(await As("admin").Get("/api/replay?limit=1000")).Should().Be("(withheld)", "administrators keep the directory, not the roads");
        (await Reporter.Get("/api/replay")).ShouldBe(HttpStatusCode.Forbidden);
        (await Responder.Get("/api/audit/verification")).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_commander_replays_and_reviews_their_own_subtree_only()
    {
        await Verified("420104");
        await Verified("440105");
        await Settled();
        var replayed = (await Wuhan.Get("/api/replay?limit=1000")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        replayed.Should().NotBeEmpty().And.OnlyContain(e => e!["jurisdiction"] != null && e["jurisdiction"]!.ToString().StartsWith("4201"));
        (await Wuhan.Get("/api/reviews/jurisdictions/420100")).ShouldBe(HttpStatusCode.OK);
        (await Wuhan.Get("/api/reviews/jurisdictions/440000")).ShouldBe(HttpStatusCode.NotFound);
        (await Wuhan.Get("/api/audit/verification")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task What_happened_to_accounts_reaches_administrators_and_reviewers_not_the_areas_commanders()
    {
        (await As("admin").Post("/api/users", new { username = "desk.tang", displayName = "Tang", password = "a long enough password",
            roles = new[] { "Responder" }, jurisdictions = new[] { "420100" } })).ShouldBe(HttpStatusCode.Created);
        (await As("admin").Post("/api/users/desk.tang/disable", new { reason = "Quarantined after an exposure" })).ShouldBe(HttpStatusCode.OK);
        await Verified("420106");
        await Settled();

        static bool Disabling(JsonNode? e) => e!["type"]!.ToString() == "UserDisabled";
        foreach (var (reader, sees) in new[] { (Wuhan, false), (As("admin"), true), (Reviewer, true) })
        {
            var replayed = (await reader.Get("/api/replay?limit=1000&jurisdiction=420100")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
            replayed.Should().Contain(e => e!["type"]!.ToString() == "IncidentVerified", "the commander still replays everything else of the area");
            replayed.Any(Disabling).Should().Be(sees);
            var decisions = (await reader.Get("/api/decisions?jurisdiction=420100&limit=1000")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
            decisions.Any(Disabling).Should().Be(sees);
            var review = await reader.Get("/api/reviews/jurisdictions/420100?format=markdown");
            if (review.Status == HttpStatusCode.OK) review.Body.Contains("Quarantined after an exposure").Should().Be(sees);
            else review.Status.Should().Be(HttpStatusCode.Forbidden, "only those who audit review a jurisdiction");
        }
        var disabling = (await Reviewer.Get("/api/decisions?jurisdiction=420100&limit=1000")).Json.AsArray().Single(Disabling)!["id"]!.ToString();
        (await Wuhan.Get($"/api/decisions/{disabling}")).ShouldBe(HttpStatusCode.NotFound);
        (await Reviewer.Get($"/api/decisions/{disabling}")).ShouldBe(HttpStatusCode.OK);
    }
}
