using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmergencyCommand.Bench;

/// <summary>One measured figure: what the summary line, the JSON and the Markdown table show.</summary>
public sealed record Figure(
    string Id,
    string Name,
    double? Value,
    string Unit,
    string Detail = "",
    string? Target = null,
    bool? Met = null);

/// <summary>Collects figures and details, prints one line per figure, and writes the JSON and Markdown files.</summary>
public sealed class Report
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _notes = [];

    public JsonObject Details { get; } = new();
    public JsonObject Machine { get; } = new();
    public IReadOnlyList<Figure> Figures => _figures;

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        Console.WriteLine(SummaryLine(figure));
    }

    public void NotMeasured(string id, string name, string why) => Add(new Figure(id, name, null, "", "not measured: " + why));

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"[bench] note: {note}");
    }

    public static string Format(double? value) => value switch
    {
        null => "—",
        { } v when double.IsNaN(v) => "—",
        { } v when Math.Abs(v) >= 100 => v.ToString("#,0", CultureInfo.InvariantCulture),
        { } v when Math.Abs(v) >= 10 => v.ToString("0.0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static string SummaryLine(Figure f)
    {
        var target = f.Target is null ? "" : $"  [target {f.Target}: {(f.Met == true ? "met" : f.Met == false ? "NOT met" : "n/a")}]";
        var detail = f.Detail.Length > 0 ? $"  ({f.Detail})" : "";
        return $"[bench] {f.Id,-34} {Format(f.Value),12} {f.Unit}{detail}{target}";
    }

    public async Task Write(string directory, string stamp, string mode, DateTimeOffset started)
    {
        Directory.CreateDirectory(directory);
        var figures = new JsonArray();
        foreach (var f in _figures)
            figures.Add(new JsonObject
            {
                ["id"] = f.Id, ["name"] = f.Name, ["value"] = f.Value is { } v && !double.IsNaN(v) ? Math.Round(v, 3) : null, ["unit"] = f.Unit,
                ["detail"] = f.Detail, ["target"] = f.Target, ["met"] = f.Met,
            });
        var root = new JsonObject
        {
            ["stamp"] = stamp,
            ["mode"] = mode,
            ["started"] = started.ToString("O"),
            ["finished"] = DateTimeOffset.UtcNow.ToString("O"),
            ["machine"] = Machine.DeepClone(),
            ["figures"] = figures,
            ["notes"] = new JsonArray(_notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
            ["details"] = Details.DeepClone(),
        };
        await File.WriteAllTextAsync(Path.Combine(directory, stamp + ".json"),
            root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        await File.WriteAllTextAsync(Path.Combine(directory, stamp + ".md"), Markdown(stamp, mode, started));
    }

    private string Markdown(string stamp, string mode, DateTimeOffset started)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark {stamp} ({mode})");
        md.AppendLine();
        md.AppendLine($"Started {started:yyyy-MM-dd HH:mm:ss} UTC, {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s wall. Machine: " +
                      string.Join("; ", Machine.Select(kv => $"{kv.Key} {kv.Value}")) + ".");
        md.AppendLine();
        md.AppendLine("| figure | value | unit | detail | target | met |");
        md.AppendLine("|---|---:|---|---|---|---|");
        foreach (var f in _figures)
            md.AppendLine($"| {f.Name} (`{f.Id}`) | {Format(f.Value)} | {f.Unit} | {Escape(f.Detail)} | {f.Target ?? ""} | " +
                          $"{(f.Met == true ? "met" : f.Met == false ? "**not met**" : "")} |");
        if (_notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Notes:");
            md.AppendLine();
            foreach (var n in _notes) md.AppendLine($"- {Escape(n)}");
        }
        return md.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|").Replace("\n", " ");

    public void DescribeMachine(string postgresVersion, string? commit)
    {
        Machine["nproc"] = Environment.ProcessorCount;
        Machine["memory"] = MemTotalGb();
        Machine["cpu"] = CpuModel();
        Machine["os"] = RuntimeInformation.OSDescription;
        Machine["dotnet"] = RuntimeInformation.FrameworkDescription;
        Machine["postgres"] = postgresVersion;
        Machine["loadavg at start"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b) : "?";
        if (commit is not null) Machine["commit"] = commit;
    }

    private static string MemTotalGb()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:")) : null;
        if (line is null) return "?";
        var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return $"{kb / 1024.0 / 1024.0:0.0} GiB";
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
}

/// <summary>Percentiles over recorded samples (nearest-rank on the sorted samples).</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static JsonObject Summary(IEnumerable<double> samples)
    {
        var sorted = samples.OrderBy(x => x).ToList();
        return new JsonObject
        {
            ["count"] = sorted.Count,
            ["p50"] = R(Percentile(sorted, 50)), ["p95"] = R(Percentile(sorted, 95)), ["p99"] = R(Percentile(sorted, 99)),
            ["max"] = sorted.Count > 0 ? R(sorted[^1]) : null, ["mean"] = sorted.Count > 0 ? R(sorted.Average()) : null,
        };
    }

    public static double? R(double v) => double.IsNaN(v) ? null : Math.Round(v, 3);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(x => x).ToList();
        return Percentile(sorted, 50);
    }
}
