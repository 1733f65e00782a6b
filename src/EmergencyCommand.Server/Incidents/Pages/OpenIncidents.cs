using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Ui;

namespace EmergencyCommand.Server.Incidents.Pages;

/// <summary>What a picker offers of a jurisdiction's open incidents, and how many are open in all.</summary>
public sealed record OpenIncidentChoices(IReadOnlyList<IncidentSummary> Items, long Total)
{
    public static readonly OpenIncidentChoices None = new([], 0);

    /// <summary>Whether the picker offers fewer than are open (then it says so).</summary>
    public bool Cut => Items.Count < Total;
}

/// <summary>
/// The open incidents of a jurisdiction (reported or verified), newest first, as pickers offer them (incidents a level
/// decision cites, the incident a duplicate merges into): filtered by status in the database before the list is cut,
/// so a busy district's closed incidents never push its open ones out.
/// </summary>
public static class OpenIncidents
{
    /// <summary>The most of each status a picker offers (each page reload reads them again).</summary>
    public const int MostOfEach = 200;

    public static async Task<OpenIncidentChoices> In(ConsoleApi api, string jurisdiction)
    {
        var open = new List<IncidentSummary>();
        long total = 0;
        foreach (var status in new[] { IncidentStatus.Verified, IncidentStatus.Reported })
        {
            var read = await api.Get<List<IncidentSummary>>($"/api/incidents?jurisdiction={jurisdiction}&status={status}&limit={MostOfEach}");
            open.AddRange(read.Value ?? []);
            total += read.Headers.TryGetValue("X-Total-Count", out var count) && long.TryParse(count, out var n) ? n : read.Value?.Count ?? 0;
        }
        return new OpenIncidentChoices(open.OrderByDescending(i => i.ReportedAt).ToList(), total);
    }
}
