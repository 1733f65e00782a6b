using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record VerifyIncident(string? Note);

public static class VerifyIncidentEndpoint
{
    public static ProblemDetails Validate(VerifyIncident? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Optional("note", command.Note).ToProblem();

    [WolverinePost("/api/incidents/{id:guid}/verify", OperationId = "VerifyIncident")]
    public static Task<Written> Post(Guid id, VerifyIncident command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.Commander],
            (incident, now) => IncidentDecisions.Verify(incident, command.Note?.Trim() ?? "", now), ct);
}
