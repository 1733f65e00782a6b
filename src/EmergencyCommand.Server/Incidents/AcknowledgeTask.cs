using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public static class AcknowledgeTaskEndpoint
{
    [WolverinePost("/api/incidents/{id:guid}/tasks/{taskId:guid}/acknowledge", OperationId = "AcknowledgeTask")]
    public static Task<Written> Post(Guid id, Guid taskId, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.Responder, Role.Commander],
            (incident, now) => IncidentDecisions.AcknowledgeTask(incident.RequireTask(taskId), taskId, now), ct);
}
