using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record DismissIncident(string? Reason);

public static class DismissIncidentEndpoint
{
    public static ProblemDetails Validate(DismissIncident? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("reason", command.Reason).ToProblem();

    [WolverinePost("/api/incidents/{id:guid}/dismiss", OperationId = "DismissIncident")]
    public static Task<Written> Post(Guid id, DismissIncident command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.Commander],
            (incident, now) => IncidentDecisions.Dismiss(incident, command.Reason!.Trim(), now), ct);
}
