using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Auth;
using EmergencyCommand.Server.Infrastructure;
using NodaTime;

namespace EmergencyCommand.Server.Deadlines;

/// <summary>A task's due time has come.</summary>
public sealed record TaskDeadlineReached(Guid IncidentId, Guid TaskId);

/// <summary>A supply request's needed-by time has come.</summary>
public sealed record SupplyDeadlineReached(Guid RequestId);

/// <summary>
/// Which events set a deadline. The timers are Wolverine scheduled messages, stored in PostgreSQL in the same
/// transaction as the events: they survive a crash and fire once the server is back, on whichever node holds them.
/// </summary>
public static class Timers
{
    public static IEnumerable<(object Message, Instant At)> For(object @event) => @event switch
    {
        TaskDispatched e => [(new TaskDeadlineReached(e.IncidentId, e.TaskId), e.DueAt)],
        SupplyRequested e => [(new SupplyDeadlineReached(e.RequestId), e.NeededBy)],
        _ => [],
    };
}

/// <summary>What happens when a deadline passes: decided by the domain, like any command, as the server itself.</summary>
public static class DeadlineHandler
{
    public static Task Handle(TaskDeadlineReached deadline, EventStreams streams, UserDirectory users, CancellationToken ct) =>
        streams.AsServer().Append<Incident>(deadline.IncidentId, [Role.System],
            (incident, now) => IncidentDecisions.MarkOverdue(incident, deadline.TaskId, users.CommanderFor(incident.Jurisdiction), now), ct);

    public static Task Handle(SupplyDeadlineReached deadline, EventStreams streams, UserDirectory users, CancellationToken ct) =>
        streams.AsServer().Append<SupplyRequest>(deadline.RequestId, [Role.System],
            (request, now) => SupplyDecisions.MarkOverdue(request, users.CommanderFor(request.Jurisdiction), now), ct);
}
