using System.Diagnostics;
using EmergencyCommand.Bench;
using Npgsql;

// ops/bench starts PostgreSQL, builds, creates one database per part and runs this; see docs/benchmarks.md.
//   EmergencyCommand.Bench --mode quick|full --stamp S --out DIR --server-dir DIR [--peer-dir DIR] --append-db CS --http-db CS
//                          --tt-db CS --console-db CS [--pid-file F] [--commit C] [--only append,http,timetravel,console]
var arguments = Arguments.Parse(args);
var settings = Settings.For(arguments);
var started = DateTimeOffset.UtcNow;
var wall = Stopwatch.StartNew();
var report = new Report();

await using (var admin = NpgsqlDataSource.Create(settings.AppendDb))
await using (var cmd = admin.CreateCommand("show server_version"))
    report.DescribeMachine("PostgreSQL " + await cmd.ExecuteScalarAsync(), arguments.GetValueOrDefault("commit"));
Console.WriteLine($"[bench] {settings.Mode} run {settings.Stamp}: " + string.Join(", ", report.Machine.Select(kv => $"{kv.Key} {kv.Value}")));

var parts = new (string Name, Func<Task> Run)[]
{
    ("append", () => new AppendBench(settings.AppendDb, settings, report).Run()),
    ("http", () => new HttpBench(settings.HttpDb, settings, report).Run()),
    ("timetravel", () => new TimeTravelBench(settings.TimeTravelDb, settings, report).Run()),
    ("console", () => new ConsoleBench(settings.ConsoleDb, settings, report).Run()),
};
var failed = 0;
foreach (var (name, run) in parts)
{
    if (settings.Only is { } only && !only.Contains(name))
    {
        report.Note($"{name}: skipped (--only)");
        continue;
    }
    var clock = Stopwatch.StartNew();
    Console.WriteLine($"[bench] --- {name} ---");
    try
    {
        await run();
    }
    catch (Exception e)
    {
        failed++;
        report.Note($"{name} failed after {clock.Elapsed.TotalSeconds:0} s: {e.GetType().Name}: {e.Message}");
        Console.Error.WriteLine(e);
    }
    report.Details[$"{name}.seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
}

await report.Write(settings.OutDir, settings.Stamp, settings.Mode, started);
Console.WriteLine($"[bench] wrote {Path.Combine(settings.OutDir, settings.Stamp)}.json and .md in {wall.Elapsed.TotalSeconds:0} s");
return failed == 0 ? 0 : 1;

namespace EmergencyCommand.Bench
{
    public static class Arguments
    {
        public static Dictionary<string, string> Parse(string[] args)
        {
            var result = new Dictionary<string, string>();
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--")) throw new ArgumentException($"unexpected argument '{args[i]}'");
                var key = args[i][2..];
                result[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--") ? args[++i] : "true";
            }
            return result;
        }
    }

    /// <summary>
    /// Durations and sizes per mode: quick is for every change (under 3 minutes with the build), full under 20, and smoke
    /// (for the test suite) only proves that every part runs and writes its files: its figures mean nothing.
    /// </summary>
    public sealed record Settings
    {
        public required string Mode { get; init; }
        public bool Full => Mode == "full";
        public bool Smoke => Mode == "smoke";
        public required string Stamp { get; init; }
        public required string OutDir { get; init; }
        public required string ServerDir { get; init; }
        /// <summary>bench/EmergencyCommand.PeerApp, the bare Marten + Wolverine app the command path is measured against.</summary>
        public required string PeerDir { get; init; }
        public required string AppendDb { get; init; }
        public required string HttpDb { get; init; }
        public required string TimeTravelDb { get; init; }
        public required string ConsoleDb { get; init; }
        public string? PidFile { get; init; }
        public HashSet<string>? Only { get; init; }

        public TimeSpan AppendWarmup { get; init; }
        public TimeSpan AppendDuration { get; init; }
        public long AppendMaxEvents { get; init; }
        public int AppendRounds { get; init; }
        public TimeSpan HttpWarmup { get; init; }
        public TimeSpan HttpDuration { get; init; }
        public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(500);
        public int SupplyRequests { get; init; }
        public long[] LogSizes { get; init; } = [];
        public int GeneratorWriters { get; init; } = 2;
        public TimeSpan GenerateLimit { get; init; }
        public TimeSpan CatchUpLimit { get; init; }
        public int AsOfQueries { get; init; }
        public TimeSpan AsOfLimit { get; init; }
        public TimeSpan FoldLimit { get; init; }
        public TimeSpan RebuildLimit { get; init; }
        public TimeSpan FloorLimit { get; init; }

        /// <summary>The wall-clock budget of the whole run (the build before it not counted); long steps shrink to fit it.</summary>
        public TimeSpan Budget { get; init; }
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        public TimeSpan Remaining => Budget - _wall.Elapsed;

        /// <summary><paramref name="limit"/>, or less so that <paramref name="reserve"/> is left of the budget afterwards.</summary>
        public TimeSpan Fit(TimeSpan limit, TimeSpan reserve) => TimeSpan.FromTicks(Math.Max(0, Math.Min(limit.Ticks, (Remaining - reserve).Ticks)));

        public static Settings For(Dictionary<string, string> a)
        {
            string Need(string key) => a.TryGetValue(key, out var v) ? v : throw new ArgumentException($"--{key} is required");
            var mode = Need("mode");
            if (mode is not ("quick" or "full" or "smoke")) throw new ArgumentException($"--mode is quick, full or smoke, not '{mode}'");
            var full = mode == "full";
            var s = new Settings
            {
                Mode = mode,
                Stamp = Need("stamp"),
                OutDir = Path.GetFullPath(Need("out")),
                ServerDir = Path.GetFullPath(Need("server-dir")),
                PeerDir = Path.GetFullPath(a.GetValueOrDefault("peer-dir") ?? Path.Combine(Need("server-dir"), "..", "..", "bench", "EmergencyCommand.PeerApp")),
                AppendDb = Need("append-db"),
                HttpDb = Need("http-db"),
                TimeTravelDb = Need("tt-db"),
                ConsoleDb = Need("console-db"),
                PidFile = a.GetValueOrDefault("pid-file"),
                Only = a.TryGetValue("only", out var only) ? only.Split(',').ToHashSet() : null,
                AppendWarmup = TimeSpan.FromSeconds(full ? 1 : 0.4),
                AppendDuration = TimeSpan.FromSeconds(full ? 4 : 2),
                AppendMaxEvents = 2_000_000,
                AppendRounds = full ? 3 : 1,
                HttpWarmup = TimeSpan.FromSeconds(full ? 4 : 2),
                HttpDuration = TimeSpan.FromSeconds(full ? 15 : 4),
                SupplyRequests = 200,
                LogSizes = full ? [10_000, 100_000, 1_000_000] : [10_000, 100_000],
                GenerateLimit = TimeSpan.FromSeconds(full ? 240 : 40),
                CatchUpLimit = TimeSpan.FromSeconds(full ? 300 : 45),
                AsOfQueries = full ? 30 : 15,
                AsOfLimit = TimeSpan.FromSeconds(full ? 60 : 20),
                FoldLimit = TimeSpan.FromSeconds(full ? 60 : 30),
                RebuildLimit = TimeSpan.FromSeconds(330),
                FloorLimit = TimeSpan.FromSeconds(full ? 120 : 30),
                Budget = TimeSpan.FromSeconds(full ? 1110 : 160),
            };
            if (s.Smoke)
                s = s with
                {
                    AppendWarmup = TimeSpan.FromSeconds(0.1), AppendDuration = TimeSpan.FromSeconds(0.3),
                    HttpWarmup = TimeSpan.FromSeconds(0.3), HttpDuration = TimeSpan.FromSeconds(0.7), Pause = TimeSpan.FromMilliseconds(100),
                    SupplyRequests = 20, LogSizes = [2_000], GenerateLimit = TimeSpan.FromSeconds(30), CatchUpLimit = TimeSpan.FromSeconds(30),
                    AsOfQueries = 3, AsOfLimit = TimeSpan.FromSeconds(10), FoldLimit = TimeSpan.FromSeconds(10),
                    // Roomy: the smoke run checks that every figure is measured, and a loaded CI machine must not squeeze one out.
                    Budget = TimeSpan.FromSeconds(360),
                };
            // ops/bench --ten-million: the time-travel part over 10M events as well. The daemon alone needs about 15 minutes
            // here over the last 9M (50 before the snapshots of counts), so it runs outside the full run's 20-minute budget,
            // and without the rebuild.
            if (full && a.ContainsKey("ten-million"))
                s = s with
                {
                    LogSizes = [.. s.LogSizes, 10_000_000], GenerateLimit = TimeSpan.FromSeconds(900), CatchUpLimit = TimeSpan.FromSeconds(3000),
                    RebuildLimit = TimeSpan.Zero, FloorLimit = TimeSpan.Zero, Budget = TimeSpan.FromMinutes(80),
                };
            // Development only: other log sizes (ops/bench passes BENCH_SIZES through).
            if (a.TryGetValue("sizes", out var sizes))
                s = s with { LogSizes = sizes.Split(',').Select(long.Parse).ToArray() };
            return s;
        }
    }
}
