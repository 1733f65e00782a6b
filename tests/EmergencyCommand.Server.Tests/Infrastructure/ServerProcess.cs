using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>
/// The real server as its own OS process on a free loopback port, on a fresh database: what a browser
/// (or a kill -9) needs and an in-memory test host cannot give.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static string AdminConnection => TestDatabases.AdminConnection;

    private Process? _process;
    private string _scheme = "http";
    private bool _ownsDatabase = true;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _history = new();

    /// <summary>What the process printed lately (its last 2,000 lines).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>How many lines mentioning <paramref name="text"/> the server printed, over every start of this process.</summary>
    public int LinesMentioning(string text) => _history.Count(l => l.Contains(text, StringComparison.Ordinal));

    private ServerProcess(string database, string connectionString)
    {
        Database = database;
        ConnectionString = connectionString;
    }

    public string Database { get; }
    public string ConnectionString { get; }
    public string BaseUrl { get; private set; } = "";
    public bool IsRunning => _process is { HasExited: false };

    /// <param name="https">Serve HTTPS (with a certificate given in <paramref name="settings"/>) instead of HTTP.</param>
    public static async Task<ServerProcess> StartOnFreshDatabase(IDictionary<string, string>? settings = null, bool https = false)
    {
        var database = $"ec_proc_{Guid.NewGuid():N}"[..24];
        await Admin($"create database {database}");
        var connection = new NpgsqlConnectionStringBuilder(AdminConnection) { Database = database }.ConnectionString;
        var server = new ServerProcess(database, connection) { _scheme = https ? "https" : "http" };
        try
        {
            await server.Start(settings);
        }
        catch
        {
            await server.DisposeAsync(); // drops the database it made
            throw;
        }
        return server;
    }

    /// <summary>A server process on a database someone else made and drops (the test that sets up roles as ops/run does).</summary>
    public static async Task<ServerProcess> StartOn(string database, string connectionString)
    {
        var server = new ServerProcess(database, connectionString) { _ownsDatabase = false };
        await server.Start();
        return server;
    }

    /// <summary>A second server process on the same database (it leaves the database to the first).</summary>
    public async Task<ServerProcess> StartAlongside()
    {
        var other = new ServerProcess(Database, ConnectionString) { _ownsDatabase = false };
        await other.Start();
        return other;
    }

    /// <summary>
    /// Starts the server, on its previous port after a kill. A free port found here can still be taken by another
    /// process before the server binds it (parallel tests open many loopback connections): then another port is tried.
    /// </summary>
    public async Task Start(IDictionary<string, string>? settings = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (BaseUrl == "" || attempt > 1) BaseUrl = $"{_scheme}://127.0.0.1:{FreePort()}";
            var output = await TryStart(settings);
            if (output is null) return;
            if (attempt == 3 || !output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"The server exited with {_process!.ExitCode} before it was ready:\n{output}");
        }
    }

    /// <summary>Null when the server is ready; what it printed when it exited first.</summary>
    private async Task<string?> TryStart(IDictionary<string, string>? settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EmergencyCommand.Server.dll");
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", BaseUrl])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        info.Environment["ConnectionStrings__Marten"] = ConnectionString;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var output = _output;
        var history = _history;
        output.Clear();
        void Keep(string? line)
        {
            if (line is null) return;
            output.Enqueue(line);
            history.Enqueue(line);
            while (output.Count > 2000) output.TryDequeue(out _);
        }
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Readiness only: a test that serves HTTPS checks the certificate itself.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected output
                return string.Join('\n', output);
            }
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health/ready")).StatusCode == HttpStatusCode.OK) return null;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The server was not ready within 60 s:\n{string.Join('\n', output)}");
    }

    /// <summary>A client of this server signed in as a demo user (password "demo"), its bearer token on every request.</summary>
    public async Task<HttpClient> SignedIn(string user)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        using var answer = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = "demo" });
        answer.EnsureSuccessStatusCode();
        var token = (await answer.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["accessToken"]!.ToString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<ProcessApi> As(string user) => new(await SignedIn(user));

    /// <summary>
    /// One of the server's own commands (<c>resources setup</c>, <c>projections rebuild</c>) on a database, as ops/ runs
    /// them: its exit code and everything it printed. One still running at <paramref name="limit"/> is killed (it would
    /// hold the database a test then drops) and the wait fails.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> Command(string connectionString, TimeSpan limit, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EmergencyCommand.Server.dll"), .. arguments])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        info.Environment["ConnectionStrings__Marten"] = connectionString;
        using var command = Process.Start(info)!;
        var output = Task.WhenAll(command.StandardOutput.ReadToEndAsync(), command.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await command.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            command.Kill(entireProcessTree: true);
            throw;
        }
        return (command.ExitCode, string.Join('\n', await output));
    }

    /// <summary>Ends the process at once, as kill -9 would: no shutdown, no flushing.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning) Kill();
        _process?.Dispose();
        if (!_ownsDatabase) return;
        await TestDatabases.Drop(Database);
    }

    /// <summary>A loopback port nobody listens on (the moment it is returned).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task Admin(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
