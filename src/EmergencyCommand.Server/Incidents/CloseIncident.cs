using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

/// <param name="FeedbackWaiver">Why no feedback is owed; needed only when none was given.</param>
public sealed record CloseIncident(string? Summary, string? FeedbackWaiver = null);

public static class CloseIncidentEndpoint
{
    public static ProblemDetails Validate(CloseIncident? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("summary", command.Summary).Optional("feedbackWaiver", command.FeedbackWaiver).ToProblem();

    [WolverinePost("/api/incidents/{id:guid}/close", OperationId = "CloseIncident")]
    public static Task<Written> Post(Guid id, CloseIncident command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.Commander],
            (incident, now) => IncidentDecisions.Close(incident, command.Summary!.Trim(), command.FeedbackWaiver, now), ct);
}
