using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record CloseIncident(string? Summary);

public static class CloseIncidentEndpoint
{
    public static ProblemDetails Validate(CloseIncident? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("summary", command.Summary).ToProblem();

    [WolverinePost("/api/incidents/{id:guid}/close", OperationId = "CloseIncident")]
    public static Task<Written> Post(Guid id, CloseIncident command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.Commander],
            (incident, now) => IncidentDecisions.Close(incident, command.Summary!.Trim(), now), ct);
}
