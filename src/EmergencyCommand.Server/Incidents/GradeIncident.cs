using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record GradeIncident(Severity? Severity, string? Rationale);

public static class GradeIncidentEndpoint
{
    public static ProblemDetails Validate(GradeIncident? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("severity", command.Severity).Require("rationale", command.Rationale).ToProblem();

    [WolverinePost("/api/incidents/{id:guid}/grade", OperationId = "GradeIncident")]
    public static Task<Written> Post(Guid id, GradeIncident command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.Commander],
            (incident, now) => IncidentDecisions.Grade(incident, command.Severity!.Value, command.Rationale!.Trim(), now), ct);
}
