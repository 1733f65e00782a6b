using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.ResponseLevels;

public sealed record TerminateResponseLevel(string? Rationale, Instant? EffectiveAt);

public static class TerminateResponseLevelEndpoint
{
    public static ProblemDetails Validate(string code, TerminateResponseLevel? command, IOptions<EffectiveAtBounds> bounds, IClock clock) => command is null
        ? FieldErrors.MissingBody()
        : bounds.Value.Check(new FieldErrors().Jurisdiction("code", code).Require("rationale", command.Rationale), command.EffectiveAt,
            clock.GetCurrentInstant()).ToProblem();

    [WolverinePost("/api/jurisdictions/{code}/response-level/termination", OperationId = "TerminateResponseLevel")]
    public static async Task<DecisionWritten> Post(string code, TerminateResponseLevel command, CommandContext context, EventStreams streams, CancellationToken ct)
    {
        var written = await streams.Decide<JurisdictionResponse>(context, JurisdictionResponseProjection.StreamId(code), code, [Role.Commander],
            (state, now) => ResponseLevelDecisions.Terminate(state, code, command.Rationale!.Trim(), command.EffectiveAt,
                context.Actor, context.DecisionId, now), ct);
        return new DecisionWritten(context.DecisionId, written.Version);
    }
}
