using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Situation;

public sealed record LevelInForce(string Jurisdiction, ResponseLevel Level, Instant Since);

public sealed record IncidentCounts(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByCategory,
    IReadOnlyDictionary<string, int> BySeverity);

public sealed record TaskCounts(int Open, int Overdue);

public sealed record StockLine(string Item, long OnHand, long Reserved, long Available);

public sealed record ItemQuantity(string Item, long Quantity);

public sealed record RequestCounts(int Open, IReadOnlyList<ItemQuantity> Outstanding, int Overdue = 0);

public sealed record ChannelCounts(int Open, int Disrupted, int Closed);

public sealed record ShipmentCounts(int InTransit, int Delivered);

/// <summary>The cockpit's one picture of a jurisdiction (and everything under it) at one instant.</summary>
public sealed record SituationBoard(
    Instant AsOf,
    long Sequence,
    string Jurisdiction,
    IReadOnlyList<LevelInForce> ResponseLevels,
    IncidentCounts Incidents,
    TaskCounts Tasks,
    IReadOnlyList<StockLine> Stock,
    RequestCounts Requests,
    ChannelCounts GreenChannels,
    ShipmentCounts Shipments)
{
    /// <param name="jurisdiction">The board's own jurisdiction: its title, and the response levels shown (they are published to all).</param>
    /// <param name="within">
    /// The jurisdictions the rest of the board may show (a reader's need-to-know, narrowed to <paramref name="jurisdiction"/>);
    /// default: all of <paramref name="jurisdiction"/>.
    /// </param>
    public static SituationBoard Of(SituationState state, string jurisdiction, Instant at, IReadOnlyList<string>? within = null)
    {
        var titled = Jurisdictions.CoveredPrefix(jurisdiction);
        // Codes are six digits: a prefix test is Covers, computed once per root.
        var roots = within ?? [jurisdiction];
        var prefixes = roots.Select(Jurisdictions.CoveredPrefix).ToArray();
        bool Within(string code)
        {
            foreach (var prefix in prefixes)
                if (code.StartsWith(prefix, StringComparison.Ordinal)) return true;
            return false;
        }

        var levels = state.Levels.Values
            .Where(l => l.Jurisdiction.StartsWith(titled, StringComparison.Ordinal))
            .Select(l => l.InForce(at) is { Level: { } level } period ? new LevelInForce(l.Jurisdiction, level, period.From) : null)
            .OfType<LevelInForce>()
            .OrderBy(l => l.Jurisdiction, StringComparer.Ordinal)
            .ToList();

        var (counts, tasks) = CountIncidents(state, Within, at);

        var stock = state.Depots.Values.Where(d => Within(d.Jurisdiction)).SelectMany(d => d.Stock.Values)
            .GroupBy(s => s.Item).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StockLine(g.Key, g.Sum(s => s.OnHand), g.Sum(s => s.Reserved), g.Sum(s => s.Available)))
            .ToList();
        var openRequests = state.Requests.Values.Where(r => Within(r.Jurisdiction) && r.IsOpen).ToList();
        var outstanding = openRequests.SelectMany(r => r.Lines).Where(l => l.Outstanding > 0)
            .GroupBy(l => l.Item).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ItemQuantity(g.Key, g.Sum(l => l.Outstanding)))
            .ToList();

        var channels = state.Channels.Values.Where(c => Within(c.Jurisdiction) || roots.Any(r => Jurisdictions.Covers(c.Jurisdiction, r))).ToList();
        var shipments = state.Shipments.Values.Where(s => Within(s.Jurisdiction)).ToList();
        var delivered = state.Finished.Where(f => Within(f.Key)).Sum(f => f.Value.DeliveredShipments);

        return new SituationBoard(at, state.Sequence, jurisdiction, levels, counts, tasks,
            stock, new RequestCounts(openRequests.Count, outstanding, openRequests.Count(r => r.Overdue)),
            new ChannelCounts(channels.Count(c => c.Status == ChannelStatus.Open), channels.Count(c => c.Status == ChannelStatus.Disrupted),
                channels.Count(c => c.Status == ChannelStatus.Closed)),
            new ShipmentCounts(shipments.Count(s => s.Status == ShipmentStatus.InTransit), shipments.Count(s => s.Status == ShipmentStatus.Delivered) + delivered));
    }

    /// <summary>
    /// The open incidents by their counts, their open tasks by the incidents that hold them, then the finished tallies:
    /// the live board is recomputed for each change while commands pour in.
    /// </summary>
    private static (IncidentCounts, TaskCounts) CountIncidents(SituationState state, Func<string, bool> within, Instant at)
    {
        int total = 0, openTasks = 0, overdueTasks = 0;
        var byStatus = new Dictionary<string, int>();
        var byCategory = new Dictionary<string, int>();
        var bySeverity = new Dictionary<string, int>();
        // A merged duplicate is not counted: it is counted once, as the incident it joined.
        foreach (var (kind, count) in state.OpenIncidents)
        {
            if (!within(kind.Jurisdiction)) continue;
            total += count;
            Increment(byStatus, StatusNames[(int)kind.Status], count);
            Increment(byCategory, CategoryNames[(int)kind.Category], count);
            if (kind.Severity is { } severity) Increment(bySeverity, SeverityNames[(int)severity], count);
        }
        foreach (var incident in state.Incidents.Values)
        {
            if (incident.Tasks.IsEmpty || incident.Status is not (IncidentStatus.Reported or IncidentStatus.Verified) || !within(incident.Jurisdiction)) continue;
            foreach (var task in incident.Tasks)
            {
                if (!task.IsOpen) continue;
                openTasks++;
                // Between a deadline and its timer (seconds), a still-dispatched task already counts as overdue.
                if (task.Status == ResponseTaskStatus.Overdue || task.Status == ResponseTaskStatus.Dispatched && task.DueAt <= at) overdueTasks++;
            }
        }
        foreach (var (code, finished) in state.Finished)
        {
            if (finished.ClosedIncidents == 0 || !within(code)) continue;
            total += finished.ClosedIncidents;
            Increment(byStatus, StatusNames[(int)IncidentStatus.Closed], finished.ClosedIncidents);
            foreach (var (category, count) in finished.ClosedByCategory) Increment(byCategory, CategoryNames[(int)category], count);
            foreach (var (severity, count) in finished.ClosedBySeverity) Increment(bySeverity, SeverityNames[(int)severity], count);
        }
        return (new IncidentCounts(total, Sorted(byStatus), Sorted(byCategory), Sorted(bySeverity)), new TaskCounts(openTasks, overdueTasks));
    }

    private static readonly string[] StatusNames = Enum.GetNames<IncidentStatus>();
    private static readonly string[] CategoryNames = Enum.GetNames<IncidentCategory>();
    private static readonly string[] SeverityNames = Enum.GetNames<Severity>();

    private static void Increment(Dictionary<string, int> counts, string key, int by = 1) => counts[key] = counts.GetValueOrDefault(key) + by;

    private static IReadOnlyDictionary<string, int> Sorted(Dictionary<string, int> counts) =>
        counts.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value);
}
