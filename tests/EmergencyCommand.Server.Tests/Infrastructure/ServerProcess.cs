using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>
/// The real server as its own OS process on a free loopback port, on a fresh database: what a browser
/// (or a kill -9) needs and an in-memory test host cannot give.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string AdminConnection = Environment.GetEnvironmentVariable("EC_TEST_CONNECTION")
        ?? "Host=127.0.0.1;Port=54320;Database=postgres;Username=emergency;Password=emergency";

    private Process? _process;
    private bool _ownsDatabase = true;

    private ServerProcess(string database, string connectionString, int port)
    {
        Database = database;
        ConnectionString = connectionString;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string Database { get; }
    public string ConnectionString { get; }
    public string BaseUrl { get; }
    public bool IsRunning => _process is { HasExited: false };

    public static async Task<ServerProcess> StartOnFreshDatabase(IDictionary<string, string>? settings = null)
    {
        var database = $"ec_proc_{Guid.NewGuid():N}"[..24];
        await Admin($"create database {database}");
        var connection = new NpgsqlConnectionStringBuilder(AdminConnection) { Database = database }.ConnectionString;
        var server = new ServerProcess(database, connection, FreePort());
        await server.Start(settings);
        return server;
    }

    /// <summary>A second server process on the same database (it leaves the database to the first).</summary>
    public async Task<ServerProcess> StartAlongside()
    {
        var other = new ServerProcess(Database, ConnectionString, FreePort()) { _ownsDatabase = false };
        await other.Start();
        return other;
    }

    public async Task Start(IDictionary<string, string>? settings = null)
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
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server exited with {_process.ExitCode} before it was ready.");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The server was not ready within 60 s.");
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
        NpgsqlConnection.ClearAllPools();
        await Admin($"drop database if exists {Database} with (force)");
    }

    private static int FreePort()
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
