using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmergencyCommand.Bench;

/// <summary>One request the load client sends: a POST with a JSON body.</summary>
public sealed record Call(string Path, byte[] Body);

/// <summary>One completed request: when it was due or sent, when it completed (Stopwatch ticks), status, and the id it answered.</summary>
public readonly record struct Sample(long Start, long End, int Status, Guid? Id)
{
    public double LatencyMs => (End - Start) * 1000.0 / Stopwatch.Frequency;
}

public sealed class RunResult
{
    public required string Name { get; init; }
    public required string Mode { get; init; }
    public int Concurrency { get; init; }
    public double OfferedRps { get; init; }
    public double Seconds { get; set; }
    public List<Sample> Samples { get; } = [];
    public long Failures { get; set; }
    public long Dropped { get; set; }
    public CpuReading Cpu { get; set; }
    /// <summary>Most server connections seen at once in pg_stat_activity, and most of them waiting on a lock.</summary>
    public (int Connections, int WaitingOnLocks, int Active) Database { get; set; }
    public double ServerCpuSeconds => Cpu.Server;
    public double ClientCpuSeconds => Cpu.Client;

    /// <summary>Where the CPU went, in cores (1.0 = one core busy for the whole run).</summary>
    public string CpuLine =>
        $"CPU: server {Cpu.Server / Seconds:0.00}, PostgreSQL {Cpu.Postgres / Seconds:0.00}, load client {Cpu.Client / Seconds:0.00} cores; machine {Cpu.BusyFraction:P0} busy";

    public IEnumerable<Sample> Ok => Samples.Where(s => s.Status is >= 200 and < 300);
    public long Errors => Samples.Count(s => s.Status is < 200 or >= 300) + Failures;
    public double Rps => Ok.Count() / Seconds;

    public JsonObject ToJson()
    {
        var statuses = new JsonObject();
        foreach (var g in Samples.GroupBy(s => s.Status).OrderBy(g => g.Key)) statuses[g.Key.ToString()] = g.Count();
        return new JsonObject
        {
            ["mode"] = Mode, ["concurrency"] = Concurrency, ["offeredRps"] = OfferedRps, ["seconds"] = Math.Round(Seconds, 2),
            ["completed"] = Samples.Count, ["ok"] = Ok.Count(), ["errors"] = Errors, ["transportFailures"] = Failures, ["notSent"] = Dropped,
            ["requestsPerSecond"] = Math.Round(Rps, 1), ["statuses"] = statuses,
            ["latencyMs"] = Stats.Summary(Samples.Select(s => s.LatencyMs)),
            ["postgresConnectionsMax"] = Database.Connections, ["postgresWaitingOnLocksMax"] = Database.WaitingOnLocks,
            ["postgresActiveMax"] = Database.Active,
            ["cpuCores"] = new JsonObject
            {
                ["server"] = Math.Round(Cpu.Server / Seconds, 2), ["postgres"] = Math.Round(Cpu.Postgres / Seconds, 2),
                ["loadClient"] = Math.Round(Cpu.Client / Seconds, 2), ["machineBusyFraction"] = Math.Round(Cpu.BusyFraction, 3),
            },
        };
    }
}

/// <summary>
/// A small HTTP load generator: closed loop (N connections, each sends its next request when the last answered) and
/// open loop (requests due at a fixed rate whatever the answers, latency counted from when each was due, so a slow
/// server cannot hide its queue). Every loop is bounded by time and by count.
/// </summary>
/// <remarks>Without a session (the peer app) requests carry no Authorization header.</remarks>
public sealed class LoadClient(string baseUrl, Session? session) : IDisposable
{
    private readonly List<HttpClient> _clients = [];

    private HttpClient Client(int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None, UseProxy = false,
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(15) };
        if (session is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        _clients.Add(http);
        return http;
    }

    private static async Task<Sample> Send(HttpClient http, Call call, long start)
    {
        using var content = new ByteArrayContent(call.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(call.Path, content);
        var body = await response.Content.ReadAsByteArrayAsync();
        var end = Stopwatch.GetTimestamp();
        return new Sample(start, end, (int)response.StatusCode, response.IsSuccessStatusCode ? IdOf(body) : null);
    }

    private static Guid? IdOf(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("id"u8) && reader.Read() && reader.TryGetGuid(out var id))
                return id;
        return null;
    }

    public async Task<RunResult> Closed(string name, Func<long, Call> next, int concurrency, TimeSpan duration, long maxRequests,
        int serverPid)
    {
        var http = Client(concurrency);
        var result = new RunResult { Name = name, Mode = "closed", Concurrency = concurrency };
        var samples = new List<Sample>[concurrency];
        long issued = 0, failures = 0;
        var cpu0 = CpuReading.Take(serverPid);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = samples[w] = [];
            while (clock.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref issued);
                if (n > maxRequests) break;
                try
                {
                    mine.Add(await Send(http, next(n), Stopwatch.GetTimestamp()));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        result.Seconds = clock.Elapsed.TotalSeconds;
        result.Cpu = CpuReading.Take(serverPid) - cpu0;
        foreach (var s in samples) result.Samples.AddRange(s);
        result.Failures = failures;
        return result;
    }

    public async Task<RunResult> Open(string name, Func<long, Call> next, double rate, TimeSpan duration, int maxInFlight,
        int serverPid)
    {
        var http = Client(maxInFlight);
        var result = new RunResult { Name = name, Mode = "open", OfferedRps = rate, Concurrency = maxInFlight };
        var total = (long)(rate * duration.TotalSeconds);
        var interval = Stopwatch.Frequency / rate;
        var samples = new System.Collections.Concurrent.ConcurrentBag<Sample>();
        var pending = new List<Task>();
        long failures = 0, dropped = 0, inFlight = 0;
        var cpu0 = CpuReading.Take(serverPid);
        var t0 = Stopwatch.GetTimestamp();
        for (long i = 0; i < total; i++)
        {
            var due = t0 + (long)(i * interval);
            var wait = (due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            if (wait > 1.0) await Task.Delay(TimeSpan.FromMilliseconds(wait - 0.5));
            while (Stopwatch.GetTimestamp() < due) Thread.SpinWait(50);
            if (Interlocked.Read(ref inFlight) >= maxInFlight)
            {
                dropped++;
                continue;
            }
            Interlocked.Increment(ref inFlight);
            var call = next(i + 1);
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    samples.Add(await Send(http, call, due));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }));
        }
        await Task.WhenAll(pending);
        result.Seconds = Math.Max(duration.TotalSeconds, (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency);
        result.Cpu = CpuReading.Take(serverPid) - cpu0;
        result.Samples.AddRange(samples);
        result.Failures = failures;
        result.Dropped = dropped;
        return result;
    }

    public void Dispose()
    {
        foreach (var c in _clients) c.Dispose();
    }

    public static async Task<Session> Session(string baseUrl, string user) => new(baseUrl, user, await SignIn(baseUrl, user));

    public static async Task<string> SignIn(string baseUrl, string user)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync("/api/auth/token",
            new StringContent(JsonSerializer.Serialize(new { username = user, password = "demo" }), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return json["accessToken"]!.GetValue<string>();
    }
}

/// <summary>
/// Watches the live board (GET /api/situation/live, Server-Sent Events) and records when each board arrived and the
/// event sequence it reflects: the projection lag of a command is the first board at or past its event's sequence.
/// </summary>
public sealed class BoardWatcher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<(long At, long Sequence)> _boards = [];
    private readonly HttpClient _http;

    public BoardWatcher(string baseUrl, string token)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        _loop = Task.Run(() => Watch(token));
    }

    public long Latest
    {
        get
        {
            lock (_boards) return _boards.Count == 0 ? 0 : _boards[^1].Sequence;
        }
    }

    public int Boards
    {
        get
        {
            lock (_boards) return _boards.Count;
        }
    }

    private async Task Watch(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/situation/live");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
        using var reader = new StreamReader(stream);
        var situation = false;
        while (!_stop.IsCancellationRequested && await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("event:")) situation = line.AsSpan(6).Trim().SequenceEqual("situation");
            else if (line.StartsWith("data:") && situation)
            {
                var at = Stopwatch.GetTimestamp();
                var sequence = SequenceOf(line.AsSpan(5));
                lock (_boards) _boards.Add((at, sequence));
            }
        }
    }

    private static long SequenceOf(ReadOnlySpan<char> json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json.ToString()));
        while (reader.Read())
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("sequence"u8) && reader.Read())
                return reader.GetInt64();
        return -1;
    }

    /// <summary>Waits (bounded) until a board at or past <paramref name="sequence"/> arrived.</summary>
    public async Task<bool> WaitFor(long sequence, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Latest >= sequence) return true;
            if (_loop.IsCompleted) return false;
            await Task.Delay(20);
        }
        return Latest >= sequence;
    }

    /// <summary>ms from each completion to the first board at or past its sequence (0 when the board was already there); null if never seen.</summary>
    public List<double?> Lags(IEnumerable<(long CompletedAt, long Sequence)> commands)
    {
        List<(long At, long Sequence)> boards;
        lock (_boards) boards = [.. _boards];
        var lags = new List<double?>();
        foreach (var (completedAt, sequence) in commands)
        {
            // Boards arrive in order and their sequences never go down: binary search the first board at or past the sequence.
            int lo = 0, hi = boards.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (boards[mid].Sequence >= sequence) hi = mid;
                else lo = mid + 1;
            }
            lags.Add(lo == boards.Count ? null : Math.Max(0, (boards[lo].At - completedAt) * 1000.0 / Stopwatch.Frequency));
        }
        return lags;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }
}

/// <summary>
/// A demo user signed in to a bench server. Access tokens live 15 minutes and a full run lasts longer: the token is
/// replaced by a new sign-in when it is ten minutes old (a run takes the token current when it starts).
/// </summary>
public sealed class Session(string baseUrl, string user, string first)
{
    private string _token = first;
    private DateTime _at = DateTime.UtcNow;

    public string Token
    {
        get
        {
            if (DateTime.UtcNow - _at > TimeSpan.FromMinutes(10))
            {
                _token = LoadClient.SignIn(baseUrl, user).GetAwaiter().GetResult();
                _at = DateTime.UtcNow;
            }
            return _token;
        }
    }
}
