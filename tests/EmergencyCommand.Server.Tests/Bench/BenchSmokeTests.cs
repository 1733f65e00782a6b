using System.Diagnostics;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Bench;

/// <summary>Runs alone, after the parallel tests, so that the bench's load and the suite do not slow each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchCollection
{
    public const string Name = "Benchmarks";
}

/// <summary>
/// ops/bench is not a test (its numbers never fail anything), but it must keep running: the smoke mode runs every part
/// on tiny sizes against the project's PostgreSQL and must write both result files with every figure measured.
/// </summary>
[Collection(BenchCollection.Name)]
[Trait(Speed.Trait, Speed.Slow)]
public sealed class BenchSmokeTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("ec-bench-smoke-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task Ops_bench_smoke_runs_every_part_and_writes_the_json_and_the_markdown()
    {
        var root = RepositoryRoot();
        var port = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("EC_TEST_CONNECTION")
                                                     ?? "Host=127.0.0.1;Port=54320").Port;
        var info = new ProcessStartInfo("bash", [Path.Combine(root, "ops", "bench"), "--smoke", "--out", _out])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root,
        };
        info.Environment["EC_PG_PORT"] = port.ToString();
        using var bench = Process.Start(info)!;
        var stdout = bench.StandardOutput.ReadToEndAsync();
        var stderr = bench.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)))
        {
            try
            {
                await bench.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                bench.Kill(entireProcessTree: true);
                throw;
            }
        }
        var output = await stdout + await stderr;
        bench.ExitCode.Should().Be(0, output);

        var json = Directory.GetFiles(_out, "*.json").Should().ContainSingle().Subject;
        var markdown = Directory.GetFiles(_out, "*.md").Should().ContainSingle().Subject;
        Path.GetFileNameWithoutExtension(markdown).Should().Be(Path.GetFileNameWithoutExtension(json));
        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        report["mode"]!.GetValue<string>().Should().Be("smoke");
        var figures = report["figures"]!.AsArray().ToDictionary(f => f!["id"]!.GetValue<string>(), f => f!);
        var table = await File.ReadAllTextAsync(markdown);

        // One figure of each kind the issue asks for, measured (a number, not "not measured"), and in the table.
        string[] expected =
        [
            "append.single.w1.ratio", "append.batch100.w1.ratio", "http.incidents.c16.rps", "http.incidents.c64.p99",
            "http.peer.c16.rps", "http.incidents.c16.vsPeer", "http.incidents.c16.vsDaemonOff", "http.incidents.open500.p99", "http.allocations.c16.rps", "lag.incidents.open500.p99", "asof.2k.p50",
            "rebuild.daemon.2k", "rebuild.rawread", "rebuild.floor.1", "rebuild.floor.2", "rebuild.floor.3", "rebuild.projections", "start.cold.ready", "start.firstCommand", "memory.peak",
            "console.firstPage", "console.queue.api", "console.change",
        ];
        foreach (var id in expected)
        {
            figures.Should().ContainKey(id, output);
            figures[id]["value"].Should().NotBeNull($"{id} should be measured: {figures[id]["detail"]}");
            figures[id]["value"]!.GetValue<double>().Should().BePositive(id);
            table.Should().Contain($"`{id}`");
        }
        figures.Values.Where(f => f["value"] is null).Select(f => (string)f["id"]!).Should().BeEmpty("smoke runs every part");
        Directory.GetFiles(_out, "*.tmp").Should().BeEmpty("a run that succeeds leaves only its results");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EmergencyCommand.sln"))) return dir.FullName;
        throw new InvalidOperationException("EmergencyCommand.sln not found above " + AppContext.BaseDirectory);
    }
}
