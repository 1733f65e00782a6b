using System.Globalization;

namespace EmergencyCommand.Bench;

/// <summary>
/// CPU seconds used so far by the server process, this bench process, every PostgreSQL process, and the whole machine
/// (busy and total, from /proc/stat); differences of two readings say where a run's CPU went on the two cores.
/// </summary>
public readonly record struct CpuReading(double Server, double Client, double Postgres, double MachineBusy, double MachineTotal)
{
    public static CpuReading Take(int serverPid) => new(
        ServerProcess.ProcessCpuSeconds(serverPid),
        System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        PostgresSeconds(),
        Machine().Busy,
        Machine().Total);

    public static CpuReading operator -(CpuReading a, CpuReading b) =>
        new(a.Server - b.Server, a.Client - b.Client, a.Postgres - b.Postgres, a.MachineBusy - b.MachineBusy, a.MachineTotal - b.MachineTotal);

    /// <summary>Busy fraction of all cores over the interval, 0..1.</summary>
    public double BusyFraction => MachineTotal > 0 ? MachineBusy / MachineTotal : double.NaN;

    private static (double Busy, double Total) Machine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            var idle = fields[3] + fields[4];
            return ((total - idle) / 100.0, total / 100.0);
        }
        catch (IOException)
        {
            return (double.NaN, double.NaN);
        }
    }

    private static double PostgresSeconds()
    {
        double sum = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsDigit(name[0])) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                if (stat[(open + 1)..close] != "postgres") continue;
                var fields = stat[(close + 2)..].Split(' ');
                sum += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
            }
        }
        return sum;
    }
}
