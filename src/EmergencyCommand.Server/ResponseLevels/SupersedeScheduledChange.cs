using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.ResponseLevels;

public sealed record SupersedeScheduledChange(string? Rationale);

/// <summary>
/// Withdraws a change scheduled to take effect later (a level declared "from next Monday"), by a commander above the one
/// who scheduled it. A change that takes effect earlier supersedes it too, through the usual routes.
/// </summary>
public static class SupersedeScheduledChangeEndpoint
{
    public static ProblemDetails Validate(string code, SupersedeScheduledChange? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Jurisdiction("code", code).Require("rationale", command.Rationale).ToProblem();

    [WolverinePost("/api/jurisdictions/{code}/response-level/scheduled-change/supersession", OperationId = "SupersedeScheduledChange")]
    public static async Task<DecisionWritten> Post(string code, SupersedeScheduledChange command, CommandContext context, EventStreams streams,
        CancellationToken ct)
    {
        var written = await streams.Decide<JurisdictionResponse>(context, JurisdictionResponseProjection.StreamId(code), code, [Role.Commander],
            (state, now) => ResponseLevelDecisions.Supersede(state, code, command.Rationale!.Trim(), context.Actor, context.DecisionId, now), ct);
        return new DecisionWritten(context.DecisionId, written.Version);
    }
}
