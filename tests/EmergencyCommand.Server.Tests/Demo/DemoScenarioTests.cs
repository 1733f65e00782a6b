using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Demo;

/// <summary>A newcomer's first ops/run: the demo seeds through the API on an empty store, and the drill keeps every part of the board moving.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class DemoScenarioTests
{
    private const string DrillPlate = "鄂A·Y0001";

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

        // What only the drill does (the seed does none of it), each shown through the API.
        var shown = new Dictionary<string, bool>();
        JsonNode? lastBoard = null;
        // A bound, not a wait: the loop ends as soon as everything showed. The board follows the daemon, which on a
        // machine busy with other test classes can trail the seed by a minute.
        var until = DateTime.UtcNow.AddSeconds(180);
        do
        {
            await Task.Delay(1000);
            var board = lastBoard = await Get("/api/situation");
            var log = (await Get("/api/replay?fromSequence=0&limit=1000")).AsArray().Select(e => e!["type"]!.ToString()).ToList();
            // The seed may still be running: the corridor is opened near its end.
            var corridor = (await Get("/api/green-channels")).AsArray().FirstOrDefault(c => c!["name"]!.ToString().Contains("Guangzhou–Wuhan"));
            var drillPass = corridor?["passes"]!.AsArray().FirstOrDefault(p => p!["vehiclePlate"]!.ToString() == DrillPlate)?["id"]?.ToString();
            var checks = corridor is null ? [] : (await Get($"/api/green-channels/{corridor["id"]}/checks")).AsArray().ToList();
            shown["seeded levels in force"] = board["responseLevels"]!.AsArray().Count(l => l!["level"]!.ToString() == "I") >= 3;
            shown["Hunan's level moved twice"] = (await Get("/api/jurisdictions/430000/response-level"))["history"]!.AsArray().Count >= 3;
            shown["a task escalated by itself"] = log.Contains("TaskBecameOverdue");
            shown["a task completed"] = log.Count(t => t == "TaskCompleted") >= 2; // the seed completes one
            shown["a community request allocated"] = log.Count(t => t == "SuppliesAllocated") >= 3; // the seed allocates two
            shown["the channel disrupted and restored"] = log.Contains("ChannelDisrupted") && log.Contains("ChannelRestored");
            shown["the drill's pass admitted"] = drillPass is not null && checks.Any(c => c!["admitted"]!.GetValue<bool>() && c["passId"]?.ToString() == drillPass);
        } while (shown.ContainsValue(false) && DateTime.UtcNow < until && !server.Output.Contains("was refused") && !server.Output.Contains("demo scenario stopped"));

        shown.Where(s => !s.Value).Select(s => s.Key).Should().BeEmpty("the drill moves every part of the board; the last board (sequence {0}) had levels {1}; the server said:\n{2}",
            lastBoard?["sequence"], lastBoard?["responseLevels"]?.ToJsonString(), string.Join('\n', server.Output.Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("refused") || l.Contains("demo", StringComparison.OrdinalIgnoreCase)).TakeLast(40)));
        server.Output.Should().NotContain("was refused").And.NotContain("demo scenario stopped");
    }
}
