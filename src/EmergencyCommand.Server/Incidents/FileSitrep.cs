using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record FileSitrep(int? Dead, int? Injured, int? Missing, int? Affected, string? Note);

public static class FileSitrepEndpoint
{
    public static ProblemDetails Validate(FileSitrep? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors()
            .NotNegative("dead", command.Dead)
            .NotNegative("injured", command.Injured)
            .NotNegative("missing", command.Missing)
            .NotNegative("affected", command.Affected)
            .Optional("note", command.Note, 4000)
            .ToProblem();

    /// <summary>Those on the ground file situation reports: field reporters, responders at work on the incident, and commanders.</summary>
    [WolverinePost("/api/incidents/{id:guid}/sitreps", OperationId = "FileSitrep")]
    public static Task<Written> Post(Guid id, FileSitrep command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Incident>(context, id, [Role.FieldReporter, Role.Responder, Role.Commander],
            (incident, now) => IncidentDecisions.FileSitrep(incident, command.Dead!.Value, command.Injured!.Value,
                command.Missing!.Value, command.Affected!.Value, command.Note?.Trim() ?? "", now), ct);
}
