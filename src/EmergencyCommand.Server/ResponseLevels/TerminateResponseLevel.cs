using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.ResponseLevels;

public sealed record TerminateResponseLevel(string? Rationale, Instant? EffectiveAt);

public static class TerminateResponseLevelEndpoint
{
    public static ProblemDetails Validate(string code, TerminateResponseLevel? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Jurisdiction("code", code).Require("rationale", command.Rationale).ToProblem();

    [WolverinePost("/api/jurisdictions/{code}/response-level/termination", OperationId = "TerminateResponseLevel")]
    public static async Task<DecisionWritten> Post(string code, TerminateResponseLevel command, EventStreams streams, CancellationToken ct)
    {
        var written = await streams.Decide<JurisdictionResponse>(JurisdictionResponseProjection.StreamId(code), code, [Role.Commander],
            (state, now) => ResponseLevelDecisions.Terminate(state, code, command.Rationale!.Trim(), command.EffectiveAt,
                streams.Actor, streams.DecisionId, now), ct);
        return new DecisionWritten(streams.DecisionId, written.Version);
    }
}
