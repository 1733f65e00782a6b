using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Identity;
using EmergencyCommand.Server.Platform;
using Marten;
using Wolverine.Attributes;

namespace EmergencyCommand.Server.Incidents;

/// <summary>A task's due time has come (scheduled by <see cref="TaskDispatched"/>, see <see cref="IncidentsModule"/>).</summary>
// Named as before the module split, so timers already scheduled in a store still find their handler.
[MessageIdentity("EmergencyCommand.Server.Deadlines.TaskDeadlineReached")]
public sealed record TaskDeadlineReached(Guid IncidentId, Guid TaskId);

/// <summary>
/// A task still only dispatched when its deadline comes turns overdue and names the most local commander covering the
/// incident: decided by the domain, like any command, by the server itself.
/// </summary>
public static class TaskDeadlineHandler
{
    public static async Task Handle(TaskDeadlineReached deadline, EventStreams streams, UserDirectory users, IQuerySession session,
        ILogger<TaskDeadlineReached> log, CancellationToken ct)
    {
        log.LogInformation("Deadline of task {TaskId} of incident {IncidentId} reached", deadline.TaskId, deadline.IncidentId);
        // An incident never moves to another jurisdiction: whom to escalate to is known before the stream is locked.
        if (await session.LoadAsync<Incident>(deadline.IncidentId, ct) is not { } known) return;
        var commander = await users.CommanderFor(known.Jurisdiction, ct);
        await streams.Append<Incident>(CommandContext.Server(), deadline.IncidentId, [Role.System],
            (incident, now) => IncidentDecisions.MarkOverdue(incident, deadline.TaskId, commander, now), ct);
    }
}
