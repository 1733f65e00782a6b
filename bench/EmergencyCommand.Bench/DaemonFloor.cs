using System.Diagnostics;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Npgsql;

namespace EmergencyCommand.Bench;

/// <summary>
/// What the stack allows before any projection of ours does any work: Marten's own daemon rebuilding projections that
/// only count what they are handed, over every event of the log, with the product's storage and the product's page of
/// 2,000 events. One alone, then as many at once as the product runs async projections that read the whole log. The
/// daemon and rebuild targets cannot be faster than this, however cheap our projections become.
/// </summary>
public sealed class DaemonFloor(string connection, NpgsqlDataSource db)
{
    private const string Prefix = "BenchFloor";

    public sealed record Result(int Projections, long Events, double Seconds, bool Complete, double ProcessCpuSeconds, JsonObject Json);

    public async Task<Result> Run(int projections, long logEvents, TimeSpan limit)
    {
        var counters = Enumerable.Range(1, projections).Select(i => new CountingProjection($"{Prefix}{i}")).ToList();
        await using var store = ProductStore.Create(connection, inlineProjections: false,
            more: opts => { foreach (var c in counters) opts.AddAsync(c, c.Name); });
        using var daemon = await store.BuildProjectionDaemonAsync();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(limit);
        var complete = true;
        try
        {
            await Task.WhenAll(counters.Select(c => daemon.RebuildProjectionAsync(c.Name, limit, timeout.Token)));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            complete = false;
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        await daemon.StopAllAsync();
        var seen = counters.Min(c => c.Seen);
        complete &= seen >= logEvents;
        await Forget();
        return new Result(projections, seen, seconds, complete, cpuSeconds, new JsonObject
        {
            ["projections"] = projections, ["logEvents"] = logEvents, ["eventsSeenByEach"] = new JsonArray(counters.Select(c => (JsonNode)c.Seen).ToArray()),
            ["seconds"] = Math.Round(seconds, 1), ["complete"] = complete, ["benchProcessCpuSeconds"] = Math.Round(cpuSeconds, 1),
        });
    }

    /// <summary>The floor's progress rows go, so the server never meets projections it does not run.</summary>
    private async Task Forget()
    {
        await using var cmd = db.CreateCommand($"delete from emergency.mt_event_progression where name like '{Prefix}%'");
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Every event, no filter (as the audit chain and the decision log read), and nothing done with it but a count.</summary>
    private sealed class CountingProjection(string name) : IProjection
    {
        private long _seen;
        public string Name { get; } = name;
        public long Seen => Interlocked.Read(ref _seen);

        public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
        {
            Interlocked.Add(ref _seen, events.Count);
            return Task.CompletedTask;
        }
    }
}
