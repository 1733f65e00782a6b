using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Infrastructure;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public static class AcknowledgeTaskEndpoint
{
    [WolverinePost("/api/incidents/{id:guid}/tasks/{taskId:guid}/acknowledge", OperationId = "AcknowledgeTask")]
    public static Task<Written> Post(Guid id, Guid taskId, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(id, [Role.Responder, Role.Commander],
            (incident, now) => IncidentDecisions.AcknowledgeTask(incident.RequireTask(taskId), taskId, now), ct);

    /// <summary>An unknown task of a known incident is a 404, like any unknown id.</summary>
    public static Incident RequireTask(this Incident incident, Guid taskId) =>
        incident.Task(taskId) is null ? throw ProblemException.NotFound($"Task {taskId} of incident {incident.Id}") : incident;
}
