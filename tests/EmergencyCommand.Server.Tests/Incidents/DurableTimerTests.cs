using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Incidents;

/// <summary>Deadlines survive a crashed server and fire once, even with two servers on one database.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class DurableTimerTests
{
    private static Task<ProcessApi> SignedIn(ServerProcess server) => server.As("wuhan");

    private static async Task<int> Escalations(ProcessApi api, Guid incident, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        int count;
        do
        {
            var timeline = (await api.Get($"/api/incidents/{incident}/timeline")).AsArray();
            count = timeline.Count(e => e!["type"]!.ToString() == "TaskBecameOverdue");
            if (count > 0) return count;
            await Task.Delay(250);
        } while (DateTime.UtcNow < until);
        return count;
    }

    /// <summary>
    /// How many times the deadline of <paramref name="task"/> fired, over every process and every start: each firing
    /// logs one line, whatever it decides (a second firing would find the task already overdue and append nothing, so
    /// only the log can show it).
    /// </summary>
    private static int Firings(Guid task, params ServerProcess[] servers) => servers.Sum(s => s.LinesMentioning($"Deadline of task {task}"));

    [Fact]
    public async Task A_deadline_that_passes_while_the_server_is_killed_still_escalates_exactly_once_after_restart()
    {
        await using var server = await ServerProcess.StartOnFreshDatabase();
        var api = await SignedIn(server);
        var (incident, task, dueAt) = await api.TaskDueIn(TimeSpan.FromSeconds(8));
        // A later deadline: by the time it has fired, a second firing of the first one would have happened too.
        var (later, laterTask, _) = await api.TaskDueIn(TimeSpan.FromSeconds(11));

        server.Kill(); // no graceful shutdown: the timers live only in PostgreSQL now
        Firings(task, server).Should().Be(0, "the server was killed before the deadline");
        var pastTheDeadline = dueAt.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (pastTheDeadline > TimeSpan.Zero) await Task.Delay(pastTheDeadline);
        await server.Start();

        api = await SignedIn(server);
        (await Escalations(api, later, TimeSpan.FromSeconds(60))).Should().Be(1);
        (await Escalations(api, incident, TimeSpan.Zero)).Should().Be(1, "the escalation happens exactly once");
        Firings(task, server).Should().Be(1, "the deadline fires exactly once");
        Firings(laterTask, server).Should().Be(1);
    }

    private static Task<JsonNode> Board(ProcessApi api) => api.Get("/api/situation");

    /// <summary>The board on one server once it has folded in the event at <paramref name="sequence"/>, or as it stands after a minute.</summary>
    private static async Task<JsonNode> BoardThrough(ProcessApi api, long sequence)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        JsonNode board;
        do
        {
            board = await Board(api);
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

        var dispatched = new List<(Guid Incident, Guid Task, DateTimeOffset DueAt)>();
        for (var i = 0; i < 3; i++)
        {
            dispatched.Add(await viaFirst.TaskDueIn(TimeSpan.FromSeconds(8)));
            dispatched.Add(await viaSecond.TaskDueIn(TimeSpan.FromSeconds(8)));
        }
        // A later deadline: by the time it has fired, a second firing of any earlier one would have happened too.
        var later = await viaSecond.TaskDueIn(TimeSpan.FromSeconds(11));
        dispatched.Add(later);
        var incidents = dispatched.Select(d => d.Incident).ToList();

        (await Escalations(viaFirst, later.Incident, TimeSpan.FromSeconds(60))).Should().Be(1);
        foreach (var (incident, task, _) in dispatched)
        {
            (await Escalations(viaSecond, incident, TimeSpan.Zero)).Should().Be(1);
            Firings(task, first, second).Should().Be(1, $"the deadline of task {task} fires on one server, once");
        }

        // The last escalation, whichever server made it, reaches both boards (an overdue count alone could come from
        // a board that merely sees dispatched tasks past their deadline).
        long lastEscalation = 0;
        foreach (var incident in incidents)
            lastEscalation = Math.Max(lastEscalation, (await viaSecond.Get($"/api/incidents/{incident}/timeline")).AsArray()
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
