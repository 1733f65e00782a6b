using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Situation;

public sealed class SituationTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task The_board_after_a_scripted_scenario_matches_hand_computed_figures_and_asOf_shows_earlier_ones()
    {
        // Jingzhou (421000) is this test's own prefecture.
        var a = await Reported("421002", "PublicHealth");
        var b = await Reported("421003", "Accident");
        var c = await Reported("421081", "PublicHealth");
        foreach (var id in new[] { a, b }) (await Hubei.Post($"/api/incidents/{id}/verify", new { note = "ok" })).ShouldBe(HttpStatusCode.OK);
        (await Hubei.Post($"/api/incidents/{a}/grade", new { severity = "II", rationale = "r" })).ShouldBe(HttpStatusCode.OK);
        (await Hubei.Post($"/api/incidents/{c}/dismiss", new { reason = "duplicate" })).ShouldBe(HttpStatusCode.OK);
        await Settled();
        var between = (await Reviewer.Get("/api/situation?jurisdiction=421000")).Json;

        await Task.Delay(20);
        (await Hubei.Post($"/api/incidents/{a}/tasks", new { department = "CDC", instruction = "trace", dueAt = InOneDay })).ShouldBe(HttpStatusCode.Created);
        (await Hubei.Post($"/api/incidents/{b}/tasks", new { department = "Fire", instruction = "clear", dueAt = InOneDay })).ShouldBe(HttpStatusCode.Created);
        (await Hubei.Post("/api/jurisdictions/421000/response-level", new { level = "III", rationale = "two clusters" })).ShouldBe(HttpStatusCode.OK);
        await Settled();

        var board = (await Reviewer.Get("/api/situation?jurisdiction=421000")).ShouldBe(HttpStatusCode.OK).Json;
        board["jurisdiction"]!.ToString().Should().Be("421000");
        board["incidents"]!["total"]!.GetValue<int>().Should().Be(3);
        Counts(board["incidents"]!["byStatus"]!).Should().BeEquivalentTo(new Dictionary<string, int> { ["Verified"] = 2, ["Dismissed"] = 1 });
        Counts(board["incidents"]!["byCategory"]!).Should().BeEquivalentTo(new Dictionary<string, int> { ["PublicHealth"] = 2, ["Accident"] = 1 });
        Counts(board["incidents"]!["bySeverity"]!).Should().BeEquivalentTo(new Dictionary<string, int> { ["II"] = 1 });
        board["tasks"]!["open"]!.GetValue<int>().Should().Be(2);
        board["tasks"]!["overdue"]!.GetValue<int>().Should().Be(0);
        board["responseLevels"]!.AsArray().Single()!["level"]!.ToString().Should().Be("III");
        board["sequence"]!.GetValue<long>().Should().BeGreaterThan(between["sequence"]!.GetValue<long>());

        var then = (await Reviewer.Get($"/api/situation?jurisdiction=421000&asOf={Uri.EscapeDataString(between["asOf"]!.ToString())}")).Json;
        then["tasks"]!["open"]!.GetValue<int>().Should().Be(0);
        then["responseLevels"]!.AsArray().Should().BeEmpty();
        then["incidents"]!["total"]!.GetValue<int>().Should().Be(3);
        then["sequence"]!.GetValue<long>().Should().Be(between["sequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_live_stream_sends_the_board_at_once_and_again_after_a_write()
    {
        using var client = Fixture.Host.Server.CreateClient();
        var token = await Fixture.Tokens.For("reviewer");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/situation/live?jurisdiction=421100");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // how fast it follows is measured in ops/bench
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        var first = await NextSituation(reader, cts.Token);
        var before = first["incidents"]!["total"]!.GetValue<int>();

        await Reported("421102");
        JsonNode update;
        do update = await NextSituation(reader, cts.Token);
        while (update["incidents"]!["total"]!.GetValue<int>() == before);
        update["incidents"]!["total"]!.GetValue<int>().Should().Be(before + 1);

        (await Anonymous.Get("/api/situation/live")).ShouldBe(HttpStatusCode.Unauthorized);
        // A token in the URL ends up in logs and browser history: it is not accepted (browsers use the cookie).
        (await Anonymous.Get($"/api/situation/live?access_token={token}")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task<JsonNode> NextSituation(StreamReader reader, CancellationToken ct)
    {
        string? type = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event:")) type = line["event:".Length..].Trim();
            else if (line.StartsWith("data:") && type == "situation") return JsonNode.Parse(line["data:".Length..])!;
        }
        throw new EndOfStreamException();
    }

    private static Dictionary<string, int> Counts(JsonNode node) => node.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());
}
