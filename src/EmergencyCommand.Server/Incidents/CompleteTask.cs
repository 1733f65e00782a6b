using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record CompleteTask(string? Outcome);

public static class CompleteTaskEndpoint
{
    public static ProblemDetails Validate(CompleteTask? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("outcome", command.Outcome).ToProblem();

    [WolverinePost("/api/incidents/{id:guid}/tasks/{taskId:guid}/complete", OperationId = "CompleteTask")]
    public static Task<Written> Post(Guid id, Guid taskId, CompleteTask command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.Responder, Role.Commander],
            (incident, now) => IncidentDecisions.CompleteTask(incident.RequireTask(taskId), taskId, command.Outcome!.Trim(), now), ct);
}
