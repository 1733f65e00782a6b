using EmergencyCommand.Domain.GreenChannels;
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
    public static SituationBoard Of(SituationState state, string jurisdiction, Instant at)
    {
        bool Within(string code) => Jurisdictions.Covers(jurisdiction, code);

        var levels = state.Levels.Values
            .Where(l => Within(l.Jurisdiction))
            .Select(l => l.InForce(at) is { Level: { } level } period ? new LevelInForce(l.Jurisdiction, level, period.From) : null)
            .OfType<LevelInForce>()
            .OrderBy(l => l.Jurisdiction, StringComparer.Ordinal)
            .ToList();

        // A merged duplicate is counted once, as the incident it joined.
        var incidents = state.Incidents.Values.Where(i => Within(i.Jurisdiction) && i.Status != IncidentStatus.Merged).ToList();
        var counts = new IncidentCounts(
            incidents.Count,
            Count(incidents, i => i.Status.ToString()),
            Count(incidents, i => i.Category.ToString()),
            Count(incidents.Where(i => i.Severity is not null), i => i.Severity!.Value.ToString()));

        var liveTasks = incidents.Where(i => i.Status is IncidentStatus.Reported or IncidentStatus.Verified)
            .SelectMany(i => i.Tasks).Where(t => t.IsOpen).ToList();
        // Between a deadline and its timer (seconds), a still-dispatched task already counts as overdue.
        var tasks = new TaskCounts(liveTasks.Count,
            liveTasks.Count(t => t.Status == ResponseTaskStatus.Overdue || t.Status == ResponseTaskStatus.Dispatched && t.DueAt <= at));

        var stock = state.Depots.Values.Where(d => Within(d.Jurisdiction)).SelectMany(d => d.Stock.Values)
            .GroupBy(s => s.Item).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StockLine(g.Key, g.Sum(s => s.OnHand), g.Sum(s => s.Reserved), g.Sum(s => s.Available)))
            .ToList();
        var openRequests = state.Requests.Values.Where(r => Within(r.Jurisdiction) && r.IsOpen).ToList();
        var outstanding = openRequests.SelectMany(r => r.Lines).Where(l => l.Outstanding > 0)
            .GroupBy(l => l.Item).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ItemQuantity(g.Key, g.Sum(l => l.Outstanding)))
            .ToList();

        var channels = state.Channels.Values.Where(c => Within(c.Jurisdiction) || Jurisdictions.Covers(c.Jurisdiction, jurisdiction)).ToList();
        var shipments = state.Shipments.Values.Where(s => Within(s.Jurisdiction)).ToList();

        return new SituationBoard(at, state.Sequence, jurisdiction, levels, counts, tasks,
            stock, new RequestCounts(openRequests.Count, outstanding, openRequests.Count(r => r.Overdue)),
            new ChannelCounts(channels.Count(c => c.Status == ChannelStatus.Open), channels.Count(c => c.Status == ChannelStatus.Disrupted),
                channels.Count(c => c.Status == ChannelStatus.Closed)),
            new ShipmentCounts(shipments.Count(s => s.Status == ShipmentStatus.InTransit), shipments.Count(s => s.Status == ShipmentStatus.Delivered)));
    }

    private static IReadOnlyDictionary<string, int> Count<T>(IEnumerable<T> items, Func<T, string> key) =>
        items.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}
