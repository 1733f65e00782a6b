using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record OpenTaskView(
    Guid IncidentId, long IncidentVersion, string IncidentTitle, string Jurisdiction, Guid TaskId, string Department, string Instruction,
    ResponseTaskStatus Status, Instant DueAt);

public static class TaskQueries
{
    /// <summary>Tasks not yet completed, soonest due first, on the incidents the caller may see: a responder's work list.</summary>
    [WolverineGet("/api/tasks", OperationId = "ListOpenTasks")]
    public static async Task<IReadOnlyList<OpenTaskView>> Open(string? jurisdiction, Reader reader, IQuerySession session, CancellationToken ct)
    {
        var incidents = await reader.Within(jurisdiction).Filter(session.Query<Incident>(), i => i.Jurisdiction)
            // Only the verified incidents with a task still to complete: reported ones (a crisis brings thousands) and
            // those whose tasks are done, waiting to be closed, must not fill the page before the open work is found.
            .Where(i => i.Status == IncidentStatus.Verified && i.Tasks.Any(t => t.Status != ResponseTaskStatus.Completed))
            .OrderByDescending(i => i.Id).Take(2000).ToListAsync(ct);
        var versions = await EventLog.Versions(session, incidents.Select(i => i.Id).ToList(), ct);
        return incidents.SelectMany(i => i.Tasks.Where(t => t.IsOpen).Select(t => new OpenTaskView(i.Id, versions.GetValueOrDefault(i.Id), i.Title,
                i.Jurisdiction, t.Id, t.Department, t.Instruction, t.Status, t.DueAt)))
            .OrderBy(t => t.DueAt).ToList();
    }
}
