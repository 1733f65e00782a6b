using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Audit;
using Npgsql;

namespace EmergencyCommand.Bench;

/// <summary>
/// Figures 2, 3 and 6: the command path over HTTP (POST /api/incidents and an allocation), closed loop at 16 and 64
/// connections and open loop at 500 requests/s; the same 16 connections against a bare Marten + Wolverine peer app
/// (bench/EmergencyCommand.PeerApp) and against the server with its daemon off; the projection lag seen on the live board
/// while that runs; cold start and peak memory of the server process.
/// </summary>
public sealed class HttpBench(string connection, Settings settings, Report report)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly byte[] IncidentBody = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        category = "PublicHealth", title = "Fever cluster at a seafood market", description = "Several patients with pneumonia of unknown cause",
        jurisdiction = "420102", location = new { latitude = 30.62, longitude = 114.26 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hospital",
    }, Json));

    private static Call NextIncident(long n) => new("/api/incidents", IncidentBody);

    private JsonObject _runs = new();

    public async Task Run()
    {
        var details = new JsonObject();
        report.Details["http"] = details;
        details["runs"] = _runs;

        // Cold start: an empty database, so this includes creating the schema.
        var server = await ServerProcess.Start(settings, connection, "http");
        var coldCommandMs = double.NaN;
        RunResult? incidentsC16 = null;
        try
        {
            var idle = server.Memory().RssMb;
            var reporter = await LoadClient.Session(server.Url, "reporter");
            (var firstCommandMs, coldCommandMs) = await FirstCommand(server, reporter.Token);
            report.Add(new Figure("start.cold.ready", "Cold start to /health/ready (empty database, schema created)", server.ReadyMs, "ms",
                $"first POST /api/incidents answered {firstCommandMs:0} ms after process start ({coldCommandMs:0} ms for the request itself)",
                "< 5,000 ms", server.ReadyMs < 5000));
            details["coldStart"] = new JsonObject
            {
                ["readyMs"] = Math.Round(server.ReadyMs), ["firstCommandMs"] = Math.Round(firstCommandMs),
                ["firstCommandRequestMs"] = Math.Round(coldCommandMs, 1), ["rssAtReadyMiB"] = Math.Round(idle),
            };

            var logistics = await LoadClient.Session(server.Url, "logistics");
            var reviewer = await LoadClient.Session(server.Url, "reviewer");
            var board = new BoardWatcher(server.Url, reviewer.Token);
            using var reports = new LoadClient(server.Url, reporter);
            using var allocator = new LoadClient(server.Url, logistics);
            var results = new List<RunResult>();
            async Task Record(Task<RunResult> run, bool caughtUp = false)
            {
                var r = await Sampled(run);
                results.Add(r);
                // Let the board and the daemon catch up so that runs do not bleed into each other.
                await Settle(board);
                if (caughtUp) await CaughtUp(ProductStore.AsyncProjections);
            }

            await reports.Closed("warmup", NextIncident, 16, settings.HttpWarmup, 100_000, server.Pid);
            await Settle(board);
            // As the variants do: the daemon-off comparison is fair only if this run inherits no backlog of the warm-up.
            await CaughtUp(ProductStore.AsyncProjections);
            await Record(reports.Closed("incidents.c16", NextIncident, 16, settings.HttpDuration, 1_000_000, server.Pid));
            incidentsC16 = results[^1];
            await Record(reports.Closed("incidents.c64", NextIncident, 64, settings.HttpDuration, 1_000_000, server.Pid));
            await Record(reports.Open("incidents.open500", NextIncident, 500, settings.HttpDuration, 256, server.Pid));

            // Allocations: one depot with plenty of stock, many open requests; each allocation takes one unit.
            var (depot, requests, item) = await SupplySetUp(server.Url, logistics.Token, settings.SupplyRequests);
            var allocation = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
            {
                depotId = depot, lines = new[] { new { item, quantity = 1 } }, rationale = "benchmark: one unit to each request in turn",
            }, Json));
            Call NextAllocation(long n) => new($"/api/supply-requests/{requests[(int)(n % requests.Count)]}/allocations", allocation);
            await allocator.Closed("warmup", NextAllocation, 16, settings.HttpWarmup / 2, 100_000, server.Pid);
            await Settle(board);
            // Each allocation run starts with the daemon at the head: the backlog of the incident runs above (and of the
            // run before) is not the allocation path's cost. The daemon still projects each run's own events as it goes.
            await CaughtUp(ProductStore.AsyncProjections);
            // One connection: no queue on the depot's row lock, so this is the serial cost of an allocation.
            await Record(allocator.Closed("allocations.c1", NextAllocation, 1, settings.HttpDuration, 1_000_000, server.Pid), caughtUp: true);
            await Record(allocator.Closed("allocations.c16", NextAllocation, 16, settings.HttpDuration, 1_000_000, server.Pid), caughtUp: true);
            await Record(allocator.Closed("allocations.c64", NextAllocation, 64, settings.HttpDuration, 1_000_000, server.Pid), caughtUp: true);
            await Record(allocator.Open("allocations.open500", NextAllocation, 500, settings.HttpDuration, 256, server.Pid));
            await Settle(board);
            // The plan's own cost, not the daemon's backlog of the allocation runs competing with it for the two cores.
            await CaughtUp(ProductStore.AsyncProjections);
            details["allocationSetUp"] = await AllocationDiagnostics(server.Url, logistics.Token, reviewer.Token, NextAllocation, item, requests.Count);

            var sequences = await Sequences();
            foreach (var r in results) ReportRun(r, board, sequences, "");
            details["boardsReceived"] = board.Boards;
            await board.DisposeAsync();

            // The same 500 requests/s with no live viewer: what one SSE viewer costs the command path.
            var quiet = await Sampled(reports.Open("incidents.open500.noviewer", NextIncident, 500, settings.HttpDuration, 256, server.Pid));
            ReportRun(quiet, null, sequences, " with no live board viewer");

            var (peak, rss) = server.Memory();
            details["memory"] = new JsonObject { ["rssAtReadyMiB"] = Math.Round(idle), ["peakMiB"] = Math.Round(peak), ["rssAfterLoadMiB"] = Math.Round(rss) };
            report.Add(new Figure("memory.peak", "Server peak memory (VmHWM) over the HTTP load", peak, "MiB",
                $"RSS at ready {idle:0} MiB, after the load {rss:0} MiB"));
        }
        finally
        {
            var shutdownMs = await server.Stop();
            details["shutdownMs"] = Math.Round(shutdownMs);
            await server.DisposeAsync();
        }

        // The yardstick: the same 16 connections against a bare Marten + Wolverine app, with the product's server stopped.
        var peer = await Peer(details);
        var vsPeer = incidentsC16!.Rps / peer.Rps;
        report.Add(new Figure("http.incidents.c16.vsPeer",
            "POST /api/incidents, closed loop, 16 connections: the product's throughput / the bare Marten + Wolverine peer app's", vsPeer, "×",
            $"{incidentsC16.Rps:0} requests/s (every projection on, daemon and live board running) / {peer.Rps:0} (one event, no auth, no projections); " +
            "the same database, one after the other", "≥ 1.0", vsPeer >= 1.0));

        // A restart on the database the load left behind: the start every later deployment sees.
        var again = await ServerProcess.Start(settings, connection, "http-restart");
        try
        {
            var signInStart = again.SinceStartMs;
            var token = await LoadClient.SignIn(again.Url, "reporter");
            var signInMs = again.SinceStartMs - signInStart;
            var (first, firstRequestMs) = await FirstCommand(again, token);
            var events = await Scalar("select count(*) from emergency.mt_events");
            report.Add(new Figure("start.restart.ready", "Restart to /health/ready (database left by the HTTP load)", again.ReadyMs, "ms",
                $"{events:N0} events in the store; first POST /api/incidents answered {first:0} ms after process start", "< 5,000 ms", again.ReadyMs < 5000));
            // The request alone: the sign-in before it is slow on purpose (PBKDF2, 600,000 iterations) and is not a command.
            report.Add(new Figure("start.firstCommand", "First POST /api/incidents after a restart: the request, sent after /health/ready and a sign-in, to its answer",
                firstRequestMs, "ms", $"the sign-in before it {signInMs:0} ms; on the cold start {coldCommandMs:0} ms", "< 100 ms", firstRequestMs < 100));
            details["restart"] = new JsonObject
            {
                ["readyMs"] = Math.Round(again.ReadyMs), ["firstCommandMs"] = Math.Round(first), ["firstCommandRequestMs"] = Math.Round(firstRequestMs, 1),
                ["signInMs"] = Math.Round(signInMs), ["events"] = events,
            };
        }
        finally
        {
            await again.DisposeAsync();
        }

        if (settings.Full || settings.Smoke)
        {
            // The runs again with parts of the server switched off by configuration: what each costs. Each variant,
            // the default one too, starts a fresh server on the same database and waits for its async daemon to
            // reach the head first, so that none inherits another's backlog.
            var chain = await Variant("chain", " (fresh server, audit chain on)", new(), watch: true);
            // The server refuses to start with the chain off over a database that has one; this throw-away database drops it.
            await Scalar("delete from emergency.mt_doc_auditblock; delete from emergency.mt_doc_auditlink");
            var nochain = await Variant("nochain", " with Audit:Chain=false", new() { ["Audit__Chain"] = "false" }, watch: true);
            report.Add(new Figure("http.incidents.c16.chain.ratio", "POST /api/incidents, closed loop, 16 connections: throughput with the audit chain on / off",
                chain.Rps / nochain.Rps, "×", $"{chain.Rps:0} requests/s with the chain, {nochain.Rps:0} without; both on a fresh server after its daemon caught up"));
        }
        else report.NotMeasured("http.incidents.open500.variants", "POST /api/incidents at 500 requests/s without the audit chain", "full mode only");

        // The daemon off, in every mode (quick: the closed loop only): what the async projections cost the command path.
        var nodaemon = await Variant("nodaemon", " with the async daemon off (EventStore:DaemonMode=Disabled; no live board)",
            new() { ["EventStore__DaemonMode"] = "Disabled" }, watch: false, openLoop: settings.Full || settings.Smoke);
        var vsDaemonOff = incidentsC16.Rps / nodaemon.Rps;
        report.Add(new Figure("http.incidents.c16.vsDaemonOff",
            "POST /api/incidents, closed loop, 16 connections: throughput with the async daemon on / off", vsDaemonOff, "×",
            $"{incidentsC16.Rps:0} requests/s (http.incidents.c16: daemon and live board running) / {nodaemon.Rps:0} " +
            "(a fresh server with EventStore:DaemonMode=Disabled, the same database later in the run)", "≥ 0.9", vsDaemonOff >= 0.9));
    }

    /// <summary>
    /// The peer app on the same database (schema peer): started, one request alone (its handler code is compiled then),
    /// the same warm-up and closed loop as the product's http.incidents.c16, then its events counted against its 201s.
    /// </summary>
    private async Task<RunResult> Peer(JsonObject details)
    {
        var peer = await ServerProcess.StartPeer(settings, connection, "http-peer");
        try
        {
            var clock = Stopwatch.StartNew();
            using (var http = new HttpClient { BaseAddress = new Uri(peer.Url), Timeout = TimeSpan.FromSeconds(60) })
            using (var first = await http.PostAsync("/incidents", new ByteArrayContent(IncidentBody) { Headers = { ContentType = new("application/json") } }))
                first.EnsureSuccessStatusCode();
            var firstMs = clock.Elapsed.TotalMilliseconds;
            using var load = new LoadClient(peer.Url, null);
            var warmup = await load.Closed("warmup", NextPeerIncident, 16, settings.HttpWarmup, 100_000, peer.Pid);
            await Task.Delay(settings.Pause);
            var run = await Sampled(load.Closed("peer.c16", NextPeerIncident, 16, settings.HttpDuration, 1_000_000, peer.Pid));
            ReportRun(run, null, (new(), new()), "");
            // A 201 that wrote nothing would flatter the peer: every answer must have left its event.
            var events = await Scalar("select count(*) from peer.mt_events");
            var answered = 1 + warmup.Ok.Count() + run.Ok.Count();
            if (events != answered) report.Note($"the peer app answered {answered} times 201 but wrote {events} events");
            var (peak, _) = peer.Memory();
            details["peer"] = new JsonObject
            {
                ["readyMs"] = Math.Round(peer.ReadyMs), ["firstRequestMs"] = Math.Round(firstMs), ["answered201"] = answered, ["events"] = events,
                ["peakMiB"] = Math.Round(peak),
            };
            return run;
        }
        finally
        {
            await peer.DisposeAsync();
        }
    }

    private static Call NextPeerIncident(long n) => new("/incidents", IncidentBody);

    /// <returns>The variant's closed-loop run (16 connections).</returns>
    private async Task<RunResult> Variant(string name, string label, Dictionary<string, string> environment, bool watch, bool openLoop = true)
    {
        var server = await ServerProcess.Start(settings, connection, "http-" + name, environment);
        try
        {
            var reporter = await LoadClient.Session(server.Url, "reporter");
            var reviewer = await LoadClient.SignIn(server.Url, "reviewer");
            var board = watch ? new BoardWatcher(server.Url, reviewer) : null;
            using var reports = new LoadClient(server.Url, reporter);
            var daemon = !environment.ContainsKey("EventStore__DaemonMode");
            var projections = environment.ContainsKey("Audit__Chain") ? ProductStore.AsyncProjections.Except([AuditChainProjection.Name]).ToArray() : ProductStore.AsyncProjections;
            async Task Quiet()
            {
                if (board is not null) await Settle(board);
                if (daemon) await CaughtUp(projections);
            }
            await reports.Closed("warmup", NextIncident, 16, settings.HttpWarmup, 100_000, server.Pid);
            await Quiet();
            var closed = await Sampled(reports.Closed($"incidents.c16.{name}", NextIncident, 16, settings.HttpDuration, 1_000_000, server.Pid));
            await Quiet();
            var open = openLoop ? await Sampled(reports.Open($"incidents.open500.{name}", NextIncident, 500, settings.HttpDuration, 256, server.Pid)) : null;
            if (open is not null) await Quiet();
            var sequences = await Sequences();
            ReportRun(closed, board, sequences, label);
            if (open is not null) ReportRun(open, board, sequences, label);
            if (board is not null) await board.DisposeAsync();
            return closed;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Waits (up to two minutes) until each named async projection has read every event in the store.</summary>
    private async Task CaughtUp(IReadOnlyCollection<string> projections)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < until)
        {
            // How many of the named projections stand at the head: all of them, and the daemon has caught up.
            var atHead = await Scalar(
                "select count(*) from emergency.mt_event_progression where split_part(name, ':', 1) = any(@names) " +
                "and last_seq_id >= (select coalesce(max(seq_id), 0) from emergency.mt_events)", ("names", projections.ToArray()));
            if (atHead >= projections.Count) return;
            await Task.Delay(200);
        }
        report.Note($"the async daemon had not caught up within two minutes ({string.Join(", ", projections)})");
    }

    private void ReportRun(RunResult r, BoardWatcher? board, (Dictionary<Guid, long> Incidents, Dictionary<Guid, long> Allocations) sequences, string variant)
    {
        _runs[r.Name] = r.ToJson();
        var route = r.Name.StartsWith("incidents") ? "POST /api/incidents"
            : r.Name.StartsWith("peer") ? "The peer app (bare Marten + Wolverine), POST /incidents"
            : "POST /api/supply-requests/{id}/allocations";
        var ok = r.Ok.ToList();
        var lat = ok.Select(s => s.LatencyMs).OrderBy(x => x).ToList();
        var all = r.Samples.Select(s => s.LatencyMs).OrderBy(x => x).ToList();
        var shape = (r.Mode == "open" ? $"open loop, {r.OfferedRps:0} requests/s offered" : $"closed loop, {r.Concurrency} connections") + variant;
        var errors = $"errors {r.Errors} of {r.Samples.Count + r.Failures}{(r.Dropped > 0 ? $", {r.Dropped} not sent (256 in flight)" : "")}";
        report.Add(new Figure($"http.{r.Name}.rps", $"{route}, {shape}: throughput", r.Rps, "requests/s",
            $"p50 {Stats.Percentile(lat, 50):0.0} ms, p95 {Stats.Percentile(lat, 95):0.0} ms, p99 {Stats.Percentile(lat, 99):0.0} ms; {errors}; {r.CpuLine}; " +
            $"PostgreSQL connections up to {r.Database.Connections} ({r.Database.WaitingOnLocks} waiting on a lock); {r.Seconds:0.0} s"));
        var p99 = Stats.Percentile(all, 99);
        var isTarget = r.Name == "incidents.open500" || r.Name == "allocations.open500";
        report.Add(new Figure($"http.{r.Name}.p99", $"{route}, {shape}: p99 latency", p99, "ms",
            $"p50 {Stats.Percentile(all, 50):0.0}, p95 {Stats.Percentile(all, 95):0.0}, max {(all.Count > 0 ? all[^1] : double.NaN):0} ms over {all.Count} answers" +
            (r.Mode == "open" ? ", counted from when each request was due" : ""),
            isTarget ? "< 25 ms at 500 rps" : null, isTarget ? p99 < 25 && r.Errors == 0 && r.Dropped == 0 : null));
        if (board is null) return;

        // Projection lag: the 201 to the first live board at or past the command's event.
        var map = r.Name.StartsWith("incidents") ? sequences.Incidents : sequences.Allocations;
        var commands = ok.Where(s => s.Id is { } id && map.ContainsKey(id)).Select(s => (s.End, map[s.Id!.Value])).ToList();
        var lags = board.Lags(commands);
        var seen = lags.Where(l => l is not null).Select(l => l!.Value).OrderBy(x => x).ToList();
        var unseen = lags.Count - seen.Count;
        var lagP99 = Stats.Percentile(seen, 99);
        _runs[r.Name]!["projectionLagMs"] = Stats.Summary(seen);
        _runs[r.Name]!["projectionLagUnseen"] = unseen;
        var lagTarget = r.Name == "incidents.open500";
        report.Add(new Figure($"lag.{r.Name}.p99", $"Projection lag under {route}, {shape}: p99", lagP99, "ms",
            $"201 → live board (SSE) at the command's sequence: p50 {Stats.Percentile(seen, 50):0.0} ms, p95 {Stats.Percentile(seen, 95):0.0} ms, " +
            $"max {(seen.Count > 0 ? seen[^1] : double.NaN):0} ms over {seen.Count} commands{(unseen > 0 ? $"; {unseen} never seen on the board" : "")}",
            lagTarget ? "< 250 ms" : null, lagTarget ? unseen == 0 && seen.Count > 0 && lagP99 < 250 : null));
    }

    /// <summary>
    /// What an allocation computes before it decides, the allocation plan's advice: as each allocation's
    /// <c>Server-Timing</c> reports it, over allocations made one at a time once the load has settled; and, for comparison,
    /// GET /api/allocation-plan end to end (the whole plan as JSON).
    /// </summary>
    private async Task<JsonObject> AllocationDiagnostics(string url, string logisticsToken, string reviewerToken, Func<long, Call> next, string item,
        int requests)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var planned = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var call = next(i);
            using var request = new HttpRequestMessage(HttpMethod.Post, call.Path) { Content = new ByteArrayContent(call.Body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Authorization = new("Bearer", logisticsToken);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var timing = response.Headers.GetValues("Server-Timing").Single();
            planned.Add(double.Parse(timing["plan;dur=".Length..], CultureInfo.InvariantCulture));
        }
        var gets = new List<double>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", reviewerToken);
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync("/api/allocation-plan?item=" + Uri.EscapeDataString(item));
            await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
            gets.Add(clock.Elapsed.TotalMilliseconds);
        }
        var (count, avgKiB, maxKiB) = await DocumentSizes("mt_doc_supplyrequest");
        var (needs, needKiB, _) = await DocumentSizes("mt_doc_supplyneed");
        var (_, depotKiB, _) = await DocumentSizes("mt_doc_depot");
        var plan = Stats.Median(planned);
        report.Add(new Figure("http.allocations.plan", "The allocation plan's advice, computed before every allocation (Server-Timing)", plan, "ms",
            $"median of {planned.Count} allocations one at a time after the load, once the daemon has caught up, p95 {Stats.Percentile(planned.Order().ToList(), 95):0.00} ms; it reads every depot " +
            $"({depotKiB:0.0} KiB) and the {requests} requests waiting for the item ({needs} request needs of {needKiB:0.00} KiB; the requests' own " +
            $"documents average {avgKiB:0.0} KiB, largest {maxKiB:0.0} KiB); GET /api/allocation-plan end to end: median {Stats.Median(gets):0.0} ms",
            "≤ 1 ms", plan <= 1));
        return new JsonObject
        {
            ["depots"] = 1, ["openRequests"] = requests, ["item"] = item, ["planMs"] = Stats.Summary(planned), ["planGetMs"] = Stats.Summary(gets),
            ["supplyRequestDocs"] = count, ["supplyRequestDocAvgKiB"] = Math.Round(avgKiB, 1), ["supplyRequestDocMaxKiB"] = Math.Round(maxKiB, 1),
            ["supplyNeedDocs"] = needs, ["supplyNeedDocAvgKiB"] = Math.Round(needKiB, 2), ["depotDocKiB"] = Math.Round(depotKiB, 1),
        };
    }

    private async Task<(long Count, double AvgKiB, double MaxKiB)> DocumentSizes(string table)
    {
        await using var db = NpgsqlDataSource.Create(connection);
        await using var cmd = db.CreateCommand(
            $"select count(*), coalesce(avg(length(data::text)), 0), coalesce(max(length(data::text)), 0) from emergency.{table}");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), Convert.ToDouble(reader.GetValue(1)) / 1024, Convert.ToDouble(reader.GetValue(2)) / 1024);
    }

    /// <summary>The first POST /api/incidents: when it was answered (ms after process start) and how long the request took.</summary>
    private static async Task<(double AnsweredAfterStartMs, double RequestMs)> FirstCommand(ServerProcess server, string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var body = new StringContent(JsonSerializer.Serialize(new
        {
            category = "Accident", title = "First command after start", description = "", jurisdiction = "420102",
            location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hotline",
        }), Encoding.UTF8, "application/json");
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsync("/api/incidents", body);
        var requestMs = clock.Elapsed.TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return (server.SinceStartMs, requestMs);
    }

    /// <summary>Samples pg_stat_activity for this database every 200 ms while <paramref name="run"/> runs.</summary>
    private async Task<RunResult> Sampled(Task<RunResult> run)
    {
        await using var db = NpgsqlDataSource.Create(connection);
        var database = new NpgsqlConnectionStringBuilder(connection).Database;
        (int, int, int) max = (0, 0, 0);
        while (!run.IsCompleted)
        {
            await using (var cmd = db.CreateCommand(
                             "select count(*), count(*) filter (where wait_event_type = 'Lock'), count(*) filter (where state = 'active') " +
                             "from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()"))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = database });
                await using var reader = await cmd.ExecuteReaderAsync();
                await reader.ReadAsync();
                max = (Math.Max(max.Item1, (int)reader.GetInt64(0)), Math.Max(max.Item2, (int)reader.GetInt64(1)), Math.Max(max.Item3, (int)reader.GetInt64(2)));
            }
            await Task.WhenAny(run, Task.Delay(200));
        }
        var result = await run;
        result.Database = max;
        return result;
    }

    private async Task Settle(BoardWatcher board)
    {
        var high = await Scalar("select coalesce(max(seq_id), 0) from emergency.mt_events");
        await board.WaitFor(high, TimeSpan.FromSeconds(15));
        await Task.Delay(settings.Pause);
    }

    private static async Task<(Guid Depot, List<Guid> Requests, string Item)> SupplySetUp(string url, string token, int count)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        async Task<Guid> Post(string path, object body)
        {
            using var response = await http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!["id"]!.GetValue<Guid>();
        }
        var item = "N95 mask " + Guid.NewGuid().ToString("N")[..6];
        var depot = await Post("/api/depots", new { name = "Hankou bench depot", jurisdiction = "420100" });
        await Post($"/api/depots/{depot}/receipts", new { item, quantity = 1_000_000_000L, source = "benchmark stock" });
        var neededBy = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var requests = new List<Guid>();
        var clock = Stopwatch.StartNew();
        // Eight at a time, bounded by count and by 60 s.
        for (var i = 0; i < count && clock.Elapsed < TimeSpan.FromSeconds(60); i += 8)
            requests.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(8, count - i)).Select(n => Post("/api/supply-requests", new
            {
                requester = $"Community health centre {n}", jurisdiction = "420105", priority = (n % 3) switch { 0 => "Critical", 1 => "High", _ => "Normal" },
                lines = new[] { new { item, quantity = 1_000_000L } }, neededBy,
            }))));
        return (depot, requests, item);
    }

    private async Task<(Dictionary<Guid, long> Incidents, Dictionary<Guid, long> Allocations)> Sequences()
    {
        await using var db = NpgsqlDataSource.Create(connection);
        var incidents = new Dictionary<Guid, long>();
        await using (var cmd = db.CreateCommand("select stream_id, seq_id from emergency.mt_events where type = 'incident_reported'"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) incidents[reader.GetGuid(0)] = reader.GetInt64(1);
        var allocations = new Dictionary<Guid, long>();
        await using (var cmd = db.CreateCommand(
                         "select (data->>'allocationId')::uuid, max(seq_id) from emergency.mt_events where type in ('stock_reserved', 'supplies_allocated') group by 1"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) allocations[reader.GetGuid(0)] = reader.GetInt64(1);
        return (incidents, allocations);
    }

    private async Task<long> Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        await using var db = NpgsqlDataSource.Create(connection);
        await using var cmd = db.CreateCommand(sql);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
