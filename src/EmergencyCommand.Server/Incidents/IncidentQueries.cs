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
    IReadOnlyList<TaskView> Tasks, Sitrep? LatestSitrep, int FeedbackCount, Guid? MergedInto, IReadOnlyList<Guid> Duplicates)
{
    public static IncidentView From(Incident i, long version) => new(
        i.Id, version, i.Status, i.Category, i.Title, i.Description, i.Jurisdiction, i.Location, i.Severity, i.Source,
        i.OccurredAt, i.ReportedAt, i.Tasks.Select(t => new TaskView(t.Id, t.Department, t.Instruction, t.Status, t.DueAt)).ToList(),
        i.LatestSitrep, i.FeedbackCount, i.MergedInto, i.Duplicates ?? []);
}

public sealed record IncidentSummary(Guid Id, IncidentStatus Status, IncidentCategory Category, string Title, string Jurisdiction,
    Severity? Severity, Instant ReportedAt);

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

    /// <summary>The latest 1000 incidents reported, now or as they stood at <c>?asOf=</c>.</summary>
    [WolverineGet("/api/incidents", OperationId = "ListIncidents")]
    public static async Task<IReadOnlyList<IncidentSummary>> List(string? jurisdiction, string? status, string? asOf, Reader reader,
        IQuerySession session, CancellationToken ct)
    {
        var scope = reader.Within(jurisdiction);
        var wanted = QueryValues.Enum<IncidentStatus>(status, "status");
        var at = QueryValues.AsOf(asOf);
        var query = scope.Filter(session.Query<Incident>(), i => i.Jurisdiction);
        // (Marten's LINQ does not compare NodaTime instants; the stored ISO text casts exactly.)
        if (at is not null) query = query.Where(i => i.MatchesSql("(data ->> 'reportedAt')::timestamptz <= ?", at.Value.ToDateTimeOffset()));
        else if (wanted is not null) query = query.Where(i => i.Status == wanted); // as of then, the status then decides
        var incidents = await query.OrderByDescending(i => i.ReportedAt).Take(1000).ToListAsync(ct);
        if (at is not null) incidents = (await StreamReads.List(session, incidents, i => i.Id, at, Incident.Replay, ct)).Select(x => x.State).ToList();
        return incidents.Where(i => wanted is null || i.Status == wanted)
            .Select(i => new IncidentSummary(i.Id, i.Status, i.Category, i.Title, i.Jurisdiction, i.Severity, i.ReportedAt)).ToList();
    }

    [WolverineGet("/api/incidents/{id:guid}/timeline", OperationId = "GetIncidentTimeline")]
    public static async Task<IReadOnlyList<TimelineEntry>> Timeline(Guid id, Reader reader, IQuerySession session, Modules modules, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        reader.Visible(Incident.Replay(events.Select(e => e.Data)) ?? throw ProblemException.NotFound($"Incident {id}"), $"Incident {id}");
        return events.Select(e => new TimelineEntry(e.Sequence, e.Version, e.Data.GetType().Name, Instant.FromDateTimeOffset(e.Timestamp),
            e.UserName, modules.Narrative.Summarize(e.Data), e.Data)).ToList();
    }
}
