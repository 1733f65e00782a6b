using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record GiveFeedback(string? Summary);

public static class GiveFeedbackEndpoint
{
    public static ProblemDetails Validate(GiveFeedback? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("summary", command.Summary).ToProblem();

    [WolverinePost("/api/incidents/{id:guid}/feedback", OperationId = "GiveFeedback")]
    public static Task<Written> Post(Guid id, GiveFeedback command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.FieldReporter, Role.Commander],
            (incident, now) => IncidentDecisions.GiveFeedback(incident, command.Summary!.Trim(), now), ct);
}
