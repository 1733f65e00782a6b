using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Ui;

namespace EmergencyCommand.Server.Incidents.Pages;

/// <summary>
/// The open incidents of a jurisdiction (reported or verified), newest first, as pickers offer them (incidents a level
/// decision cites, the incident a duplicate merges into): filtered by status in the database before the list is cut,
/// so a busy district's closed incidents never push its open ones out.
/// </summary>
public static class OpenIncidents
{
    /// <summary>The most of each status a picker offers.</summary>
    public const int MostOfEach = 500;

    public static async Task<IReadOnlyList<IncidentSummary>> In(ConsoleApi api, string jurisdiction)
    {
        var open = new List<IncidentSummary>();
        foreach (var status in new[] { IncidentStatus.Verified, IncidentStatus.Reported })
            open.AddRange((await api.Get<List<IncidentSummary>>($"/api/incidents?jurisdiction={jurisdiction}&status={status}&limit={MostOfEach}")).Value ?? []);
        return open.OrderByDescending(i => i.ReportedAt).ToList();
    }
}
