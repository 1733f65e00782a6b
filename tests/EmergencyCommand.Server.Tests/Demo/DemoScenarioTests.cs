using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Demo;

/// <summary>A newcomer's first ops/run: the demo seeds through the API on an empty store, and the drill keeps every part of the board moving.</summary>
public sealed class DemoScenarioTests
{
    [Fact]
    public async Task The_seeded_epidemic_fills_the_board_and_the_drill_moves_levels_tasks_requests_and_channels()
    {
        await using var server = await ServerProcess.StartOnFreshDatabase(new Dictionary<string, string>
        {
            ["Demo__Seed"] = "true", ["Demo__Drill"] = "true", ["Demo__DrillIntervalSeconds"] = "0.2",
        });
        using var api = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var token = (await (await api.PostAsJsonAsync("/api/auth/token", new { username = "national", password = "demo" })).Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.ToString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        async Task<JsonNode> Get(string url) => JsonNode.Parse(await api.GetStringAsync(url))!;

        // Within a minute and a half (the drill plays a command every 0.2 s), every part has moved.
        var until = DateTime.UtcNow.AddSeconds(90);
        JsonNode board, hunan, decisions;
        bool Moved() =>
            board["responseLevels"]!.AsArray().Any(l => l!["jurisdiction"]!.ToString() == "420000" && l["level"]!.ToString() == "I")
            && hunan["history"]!.AsArray().Count >= 3 // declared by the seed, then moved twice by the drill
            && board["tasks"]!["overdue"]!.GetValue<int>() >= 1 // a drill deadline let pass escalates by itself
            && board["incidents"]!["byStatus"]!["Verified"]!.GetValue<int>() >= 5
            && board["shipments"]!["inTransit"]!.GetValue<int>() >= 1
            && decisions.AsArray().Any(d => d!["type"]!.ToString() == "SuppliesAllocated" && d["rationale"]!.ToString().Contains("As requested"))
            && decisions.AsArray().Any(d => d!["type"]!.ToString() == "PassIssued" && d["decidedBy"]!.ToString() == "logistics");
        do
        {
            await Task.Delay(1000);
            board = await Get("/api/situation");
            hunan = await Get("/api/jurisdictions/430000/response-level");
            decisions = await Get("/api/decisions?actor=logistics");
        } while (!Moved() && DateTime.UtcNow < until && !server.Output.Contains("The demo scenario stopped"));

        server.Output.Should().NotContain("The demo scenario stopped");
        Moved().Should().BeTrue($"the board should have moved: {board.ToJsonString()[..Math.Min(1500, board.ToJsonString().Length)]} / Hunan: {hunan["history"]!.AsArray().Count} levels");

        // The drill's own pass is admitted at the corridor's checkpoints.
        var corridor = (await Get("/api/green-channels")).AsArray().First(c => c!["status"]!.ToString() is "Open" or "Disrupted")!;
        var checks = (await Get($"/api/green-channels/{corridor["id"]}/checks")).AsArray();
        checks.Should().Contain(c => c!["admitted"]!.GetValue<bool>() && c["actor"]!.ToString() == "responder");
    }
}
