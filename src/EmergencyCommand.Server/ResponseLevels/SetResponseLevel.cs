using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.ResponseLevels;

public sealed record SetResponseLevel(ResponseLevel? Level, string? Rationale, IReadOnlyList<Guid>? IncidentIds, Instant? EffectiveAt);

public sealed record DecisionWritten(Guid DecisionId, long Version);

/// <summary>Declares a level where none is active, or escalates / de-escalates the one that is.</summary>
public static class SetResponseLevelEndpoint
{
    public static ProblemDetails Validate(string code, SetResponseLevel? command, IOptions<EffectiveAtBounds> bounds, IClock clock) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors()
            .Jurisdiction("code", code)
            .Require("level", command.Level)
            .When(command.Level is { } l && !Enum.IsDefined(l), "level", "must be I, II, III or IV")
            .Require("rationale", command.Rationale)
            .When(command.IncidentIds?.Count > 100, "incidentIds", "at most 100 incidents")
            .With(e => bounds.Value.Check(e, command.EffectiveAt, clock.GetCurrentInstant()))
            .ToProblem();

    [WolverinePost("/api/jurisdictions/{code}/response-level", OperationId = "SetResponseLevel")]
    public static async Task<DecisionWritten> Post(string code, SetResponseLevel command, CommandContext context, EventStreams streams, CancellationToken ct)
    {
        var written = await streams.Decide<JurisdictionResponse>(context, JurisdictionResponseProjection.StreamId(code), code, [Role.Commander],
            (state, now) => ResponseLevelDecisions.Set(state, code, command.Level!.Value, command.Rationale!.Trim(),
                command.IncidentIds ?? [], command.EffectiveAt, context.Actor, context.DecisionId, now), ct);
        return new DecisionWritten(context.DecisionId, written.Version);
    }
}
