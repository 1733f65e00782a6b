using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Marten;
using Marten.Linq.MatchesSql;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record TaskView(Guid Id, string Department, string Instruction, ResponseTaskStatus Status, Instant DueAt);

public sealed record IncidentView(
    Guid Id, long Version, IncidentStatus Status, IncidentCategory Category, string Title, string Description,
    string Jurisdiction, GeoPoint Location, Severity? Severity, ReportSource Source, Instant OccurredAt, Instant ReportedAt,
    IReadOnlyList<TaskView> Tasks, Sitrep? LatestSitrep, int FeedbackCount, Guid? MergedInto, IReadOnlyList<Guid> Duplicates,
    string? FeedbackWaiver = null)
{
    public static IncidentView From(Incident i, long version) => new(
        i.Id, version, i.Status, i.Category, i.Title, i.Description, i.Jurisdiction, i.Location, i.Severity, i.Source,
        i.OccurredAt, i.ReportedAt, i.Tasks.Select(t => new TaskView(t.Id, t.Department, t.Instruction, t.Status, t.DueAt)).ToList(),
        i.LatestSitrep, i.FeedbackCount, i.MergedInto, i.Duplicates ?? [], i.FeedbackWaiver);
}

public sealed record IncidentSummary(Guid Id, IncidentStatus Status, IncidentCategory Category, string Title, string Jurisdiction,
    Severity? Severity, Instant ReportedAt, int OpenTasks, int OverdueTasks, string? ReportedBy, GeoPoint Location);

public sealed record TimelineEntry(long Sequence, long Version, string Type, Instant At, string? Actor, string? Summary, object Data);

public static class IncidentQueries
{
    /// <summary>The incident rebuilt from its events: now, or as it stood at <c>?asOf=</c>.</summary>
    [WolverineGet("/api/incidents/{id:guid}", OperationId = "GetIncident")]
    public static async Task<IncidentView> Get(Guid id, string? asOf, Reader reader, IQuerySession session, CancellationToken ct)
    {
        var (incident, version) = await StreamReads.Replay(session, reader, id, asOf, Incident.Replay, "Incident", ct);
        return IncidentView.From(incident, version);
    }

    /// <summary>
    /// Incidents, newest report first, now or as they stood at <c>?asOf=</c>, a page at a time (<c>offset</c>, <c>limit</c>
    /// up to 1,000; the total that match is in <c>X-Total-Count</c>), within <c>jurisdiction</c>, <c>status</c>,
    /// <c>category</c>, a text in the title (<c>q</c>) and, with <c>reportedBy=me</c>, the caller's own reports.
    /// </summary>
    [WolverineGet("/api/incidents", OperationId = "ListIncidents")]
    public static async Task<IReadOnlyList<IncidentSummary>> List(string? jurisdiction, string? status, string? category, string? q,
        string? reportedBy, string? offset, string? limit, string? asOf, Reader reader, HttpResponse response, IQuerySession session,
        CancellationToken ct)
    {
        var scope = reader.Within(jurisdiction);
        var wanted = QueryValues.Enum<IncidentStatus>(status, "status");
        var kind = QueryValues.Enum<IncidentCategory>(category, "category");
        var page = Paging.Parse(offset, limit, 1000);
        var at = QueryValues.AsOf(asOf);
        var query = scope.Filter(session.Query<Incident>(), i => i.Jurisdiction);
        if (kind is not null) query = query.Where(i => i.Category == kind);
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(i => i.Title.Contains(q.Trim(), StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrWhiteSpace(reportedBy))
        {
            var by = reportedBy == "me" ? reader.Actor.UserName : reportedBy.Trim();
            query = query.Where(i => i.ReportedBy == by);
        }
        // (Marten's LINQ does not compare NodaTime instants; the stored ISO text casts exactly.)
        if (at is not null) query = query.Where(i => i.MatchesSql("(data ->> 'reportedAt')::timestamptz <= ?", at.Value.ToDateTimeOffset()));
        else if (wanted is not null) query = query.Where(i => i.Status == wanted); // as of then, the status then decides
        // Ids are version-7 GUIDs, made at the report: their order is the order of reporting.
        var newest = query.OrderByDescending(i => i.Id);
        if (at is null || wanted is null)
        {
            // Now, or as of then without a status (every incident reported by then is in the list): the page and the total
            // are the database's.
            Paging.Total(response, await query.CountAsync(ct));
            var incidents = await page.Of(newest).ToListAsync(ct);
            return (at is null ? incidents : await AsOf(incidents, at.Value)).Select(Summary).ToList();
        }
        var (matched, total) = await StreamReads.MatchingThen(session, newest, i => i.Id, at.Value, Incident.Replay, i => i.Status == wanted, page,
            "incidents", ct);
        Paging.Total(response, total);
        return matched.Select(x => Summary(x.Then with { ReportedBy = x.Now.ReportedBy })).ToList();

        async Task<IEnumerable<Incident>> AsOf(IReadOnlyList<Incident> current, Instant instant)
        {
            // Who reported comes from the report's metadata, which a replay of the events does not see; it never changes.
            var reporters = current.ToDictionary(i => i.Id, i => i.ReportedBy);
            return (await StreamReads.List(session, current, i => i.Id, instant, Incident.Replay, ct))
                .Select(x => x.State with { ReportedBy = reporters.GetValueOrDefault(x.State.Id) });
        }
    }

    private static IncidentSummary Summary(Incident i) => new(i.Id, i.Status, i.Category, i.Title, i.Jurisdiction, i.Severity, i.ReportedAt,
        i.Tasks.Count(t => t.IsOpen), i.Tasks.Count(t => t.Status == ResponseTaskStatus.Overdue), i.ReportedBy, i.Location);

    [WolverineGet("/api/incidents/{id:guid}/timeline", OperationId = "GetIncidentTimeline")]
    public static async Task<IReadOnlyList<TimelineEntry>> Timeline(Guid id, Reader reader, IQuerySession session, Modules modules, HttpContext http,
        CancellationToken ct)
    {
        var words = Ui.ReaderLanguage.WordsFor(http);
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        reader.Visible(Incident.Replay(events.Select(e => e.Data)) ?? throw ProblemException.NotFound($"Incident {id}"), $"Incident {id}");
        return events.Select(e => new TimelineEntry(e.Sequence, e.Version, e.Data.GetType().Name, Instant.FromDateTimeOffset(e.Timestamp),
            e.UserName, modules.Narrative.Summarize(e.Data, words), e.Data)).ToList();
    }
}
