using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Incidents;

/// <summary>Deadlines survive a crashed server and fire once, even with two servers on one database.</summary>
public sealed class DurableTimerTests
{
    private static async Task<HttpClient> SignedIn(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var token = (await (await http.PostAsJsonAsync("/api/auth/token", new { username = "wuhan", password = "demo" })).Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.ToString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<JsonNode> Post(HttpClient http, string url, object body)
    {
        var response = await http.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonNode.Parse(text)!;
    }

    /// <remarks>The deadline leaves room for a loaded machine to generate and run the endpoint's code first.</remarks>
    private static async Task<(Guid Incident, DateTimeOffset DueAt)> DispatchDueIn(HttpClient http, TimeSpan dueIn)
    {
        var incident = (await Post(http, "/api/incidents", new
        {
            category = "PublicHealth", title = "Cluster", description = "", jurisdiction = "420102",
            location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hospital",
        }))["id"]!.GetValue<Guid>();
        await Post(http, $"/api/incidents/{incident}/verify", new { note = "ok" });
        var dueAt = DateTimeOffset.UtcNow.Add(dueIn);
        await Post(http, $"/api/incidents/{incident}/tasks", new { department = "CDC", instruction = "trace", dueAt = dueAt.ToString("O") });
        return (incident, dueAt);
    }

    private static async Task<int> Escalations(HttpClient http, Guid incident, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        int count;
        do
        {
            var timeline = JsonNode.Parse(await http.GetStringAsync($"/api/incidents/{incident}/timeline"))!.AsArray();
            count = timeline.Count(e => e!["type"]!.ToString() == "TaskBecameOverdue");
            if (count > 0) return count;
            await Task.Delay(250);
        } while (DateTime.UtcNow < until);
        return count;
    }

    [Fact]
    public async Task A_deadline_that_passes_while_the_server_is_killed_still_escalates_exactly_once_after_restart()
    {
        await using var server = await ServerProcess.StartOnFreshDatabase();
        var (incident, dueAt) = await DispatchDueIn(await SignedIn(server), TimeSpan.FromSeconds(8));

        server.Kill(); // no graceful shutdown: the timer lives only in PostgreSQL now
        var pastTheDeadline = dueAt.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (pastTheDeadline > TimeSpan.Zero) await Task.Delay(pastTheDeadline);
        await server.Start();

        var http = await SignedIn(server);
        (await Escalations(http, incident, TimeSpan.FromSeconds(60))).Should().Be(1);
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await Escalations(http, incident, TimeSpan.Zero)).Should().Be(1, "the escalation happens exactly once");
    }

    private static async Task<JsonNode> Board(HttpClient http) => JsonNode.Parse(await http.GetStringAsync("/api/situation"))!;

    /// <summary>The board on one server once it has folded in the event at <paramref name="sequence"/>, or as it stands after a minute.</summary>
    private static async Task<JsonNode> BoardThrough(HttpClient http, long sequence)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        JsonNode board;
        do
        {
            board = await Board(http);
            if (board["sequence"]!.GetValue<long>() >= sequence) break;
            await Task.Delay(250);
        } while (DateTime.UtcNow < until);
        return board;
    }

    [Fact]
    public async Task Two_servers_on_one_database_escalate_each_deadline_exactly_once_and_both_boards_follow()
    {
        await using var first = await ServerProcess.StartOnFreshDatabase();
        await using var second = await first.StartAlongside();
        var viaFirst = await SignedIn(first);
        var viaSecond = await SignedIn(second);
        // Both live boards are loaded before anything happens: from here on, each must follow the log by itself,
        // the standby (which runs no daemon) as well as the process running the daemon.
        (await Board(viaFirst))["incidents"]!["total"]!.GetValue<int>().Should().Be(0);
        (await Board(viaSecond))["incidents"]!["total"]!.GetValue<int>().Should().Be(0);

        var incidents = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            incidents.Add((await DispatchDueIn(viaFirst, TimeSpan.FromSeconds(8))).Incident);
            incidents.Add((await DispatchDueIn(viaSecond, TimeSpan.FromSeconds(8))).Incident);
        }

        foreach (var incident in incidents) (await Escalations(viaFirst, incident, TimeSpan.FromSeconds(60))).Should().BeGreaterThan(0);
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var incident in incidents) (await Escalations(viaSecond, incident, TimeSpan.Zero)).Should().Be(1);

        // The last escalation, whichever server made it, reaches both boards (an overdue count alone could come from
        // a board that merely sees dispatched tasks past their deadline).
        long lastEscalation = 0;
        foreach (var incident in incidents)
            lastEscalation = Math.Max(lastEscalation, JsonNode.Parse(await viaSecond.GetStringAsync($"/api/incidents/{incident}/timeline"))!.AsArray()
                .Where(e => e!["type"]!.ToString() == "TaskBecameOverdue").Max(e => e!["sequence"]!.GetValue<long>()));
        foreach (var via in new[] { viaFirst, viaSecond })
        {
            var board = await BoardThrough(via, lastEscalation);
            board["sequence"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(lastEscalation, "every server's live board follows every commit");
            board["incidents"]!["total"]!.GetValue<int>().Should().Be(incidents.Count);
            board["tasks"]!["overdue"]!.GetValue<int>().Should().Be(incidents.Count);
        }
    }
}
