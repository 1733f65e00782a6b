using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Inbox;

public sealed record EscalationView(
    EscalationKind Kind, Guid StreamId, Guid? TaskId, string Subject, string Jurisdiction, string? EscalatedTo, Instant DueAt, Instant EscalatedAt);

public static class InboxQueries
{
    private const int Page = 1000, MostShown = 1000, MostRead = 50_000;

    /// <summary>
    /// Deadlines escalated to the caller (or, with <c>?to=all</c>, to anyone, within what they may see) that are still
    /// not met: the task is not completed and its incident still open, or the request still short and not cancelled.
    /// Escalations are read a page at a time, newest first, until 1,000 still open are found: those elsewhere in the
    /// country, or met since, never push older open ones off the list.
    /// </summary>
    [WolverineGet("/api/escalations", OperationId = "ListEscalations")]
    public static async Task<IReadOnlyList<EscalationView>> List(string? to, Reader reader, IQuerySession session, CancellationToken ct)
    {
        reader.Demand([Role.Commander, Role.Reviewer]);
        var query = session.Query<Escalation>().AsQueryable();
        if (to != "all") query = query.Where(e => e.EscalatedTo == reader.Actor.UserName);
        var open = new List<EscalationView>();
        for (var read = 0; open.Count < MostShown && read < MostRead; read += Page)
        {
            var escalations = await query.OrderByDescending(e => e.EscalatedAt).ThenBy(e => e.Id).Skip(read).Take(Page).ToListAsync(ct);
            open.AddRange(await StillOpen(escalations, reader, session, ct));
            if (escalations.Count < Page) break;
        }
        return open.Take(MostShown).OrderBy(e => e.DueAt).ToList();
    }

    private static async Task<IReadOnlyList<EscalationView>> StillOpen(IReadOnlyList<Escalation> escalations, Reader reader, IQuerySession session,
        CancellationToken ct)
    {
        var incidents = (await session.LoadManyAsync<Incident>(ct, escalations.Where(e => e.Kind == EscalationKind.OverdueTask).Select(e => e.StreamId).Distinct()))
            .ToDictionary(i => i.Id);
        var requests = (await session.LoadManyAsync<SupplyRequest>(ct, escalations.Where(e => e.Kind == EscalationKind.OverdueSupplyRequest).Select(e => e.StreamId).Distinct()))
            .ToDictionary(r => r.Id);
        var open = new List<EscalationView>();
        foreach (var e in escalations)
        {
            if (e.Kind == EscalationKind.OverdueTask && incidents.TryGetValue(e.StreamId, out var incident)
                && incident.Status is IncidentStatus.Reported or IncidentStatus.Verified && incident.Task(e.TaskId!.Value) is { IsOpen: true } task
                && reader.Sees(incident.Jurisdiction))
                open.Add(new EscalationView(e.Kind, e.StreamId, e.TaskId, $"{incident.Title} — {task.Department}", incident.Jurisdiction, e.EscalatedTo, e.DueAt, e.EscalatedAt));
            else if (e.Kind == EscalationKind.OverdueSupplyRequest && requests.TryGetValue(e.StreamId, out var request)
                     && request.IsOpen && request.Lines.Any(l => l.Outstanding > 0) && reader.Sees(request.Jurisdiction))
                open.Add(new EscalationView(e.Kind, e.StreamId, null, request.Requester, request.Jurisdiction, e.EscalatedTo, e.DueAt, e.EscalatedAt));
        }
        return open;
    }
}
