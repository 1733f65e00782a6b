using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EmergencyCommand.Bench;

/// <summary>
/// The server as ops/run serves it (published ReadyToRun, started from src/EmergencyCommand.Server with the publish's web
/// root, Demo environment, Demo:Seed off), on a free loopback port and a given database; or the peer app (bench/EmergencyCommand.PeerApp) the
/// same way. Times the start; reads memory and CPU from /proc.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>The server as ops/lib/common.sh's publish_server leaves it (ReadyToRun), relative to the server's folder.</summary>
    public const string ServedDll = "bin/served/EmergencyCommand.Server.dll";
    private const string ServedWebRoot = "bin/served/wwwroot";
    private const string PeerDll = "bin/Release/net10.0/EmergencyCommand.PeerApp.dll";
    private readonly Process _process;
    private readonly StreamWriter _log;

    private readonly Stopwatch _sinceStart;

    private ServerProcess(Process process, string url, StreamWriter log, Stopwatch sinceStart)
    {
        _process = process;
        Url = url;
        _log = log;
        _sinceStart = sinceStart;
    }

    /// <summary>Milliseconds since the process was started.</summary>
    public double SinceStartMs => _sinceStart.Elapsed.TotalMilliseconds;

    public string Url { get; }
    public int Pid => _process.Id;
    /// <summary>Process start to the first 200 from /health/ready.</summary>
    public double ReadyMs { get; private set; }

    public static Task<ServerProcess> Start(Settings settings, string connection, string label, IDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Demo", ["Demo__Seed"] = "false", ["Demo__Drill"] = "false" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) variables[key] = value;
        return Launch(settings, settings.ServerDir, ServedDll, connection, label, variables, ["--webroot", ServedWebRoot]);
    }

    /// <summary>The peer app (Production environment, its defaults) on the given database.</summary>
    public static Task<ServerProcess> StartPeer(Settings settings, string connection, string label) =>
        Launch(settings, settings.PeerDir, PeerDll, connection, label, new Dictionary<string, string>(), []);

    private static async Task<ServerProcess> Launch(Settings settings, string directory, string dll, string connection, string label,
        Dictionary<string, string> environment, string[] arguments)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet", [dll, .. arguments, "--urls", url])
        {
            WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["ConnectionStrings__Marten"] = connection;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var log = new StreamWriter(Path.Combine(settings.OutDir, $"{settings.Stamp}-server-{label}.log.tmp"), append: true) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (settings.PidFile is { } pidFile) await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture));

        var server = new ServerProcess(process, url, log, clock);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited) throw new InvalidOperationException($"the server exited with {process.ExitCode} before it was ready; see {label} log");
            try
            {
                using var response = await http.GetAsync($"{url}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    server.ReadyMs = clock.Elapsed.TotalMilliseconds;
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(20);
        }
        await server.DisposeAsync();
        throw new TimeoutException("the server was not ready within 90 s");
    }

    /// <summary>VmHWM (peak resident set) and VmRSS in MiB.</summary>
    public (double PeakMb, double RssMb) Memory()
    {
        double Read(string key)
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith(key + ":"));
            return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        try
        {
            return (Read("VmHWM"), Read("VmRSS"));
        }
        catch (IOException)
        {
            return (double.NaN, double.NaN);
        }
    }

    /// <summary>User + system CPU seconds the server process has used so far.</summary>
    public double CpuSeconds() => ProcessCpuSeconds(Pid);

    public static double ProcessCpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of /proc/pid/stat, in clock ticks (100 per second on Linux).
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>SIGTERM (a graceful shutdown, as ops/run does on Ctrl-C); SIGKILL after 20 s. Returns the shutdown time in ms.</summary>
    public async Task<double> Stop()
    {
        if (_process.HasExited) return 0;
        var clock = Stopwatch.StartNew();
        _ = Kill(_process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        return clock.Elapsed.TotalMilliseconds;
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
