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
    /// <summary>
    /// Deadlines escalated to the caller (or, with <c>?to=all</c>, to anyone, within what they may see) that are still
    /// not met: the task is not completed and its incident still open, or the request still short and not cancelled.
    /// </summary>
    [WolverineGet("/api/escalations", OperationId = "ListEscalations")]
    public static async Task<IReadOnlyList<EscalationView>> List(string? to, Reader reader, IQuerySession session, CancellationToken ct)
    {
        reader.Demand([Role.Commander, Role.Reviewer]);
        var query = session.Query<Escalation>().AsQueryable();
        if (to != "all") query = query.Where(e => e.EscalatedTo == reader.Actor.UserName);
        var escalations = await query.OrderByDescending(e => e.EscalatedAt).Take(1000).ToListAsync(ct);
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
        return open.OrderBy(e => e.DueAt).ToList();
    }
}
