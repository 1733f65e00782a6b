using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.GreenChannels;

public sealed record CheckPassage(string? PassCode);

public sealed record PassageAnswer(bool Admitted, CheckRefusal? Reason, Guid? PassId, string? VehiclePlate);

public static class CheckPassageEndpoint
{
    /// <summary>Checkpoint officers, and staff of any operational role; reviewers only read.</summary>
    public static readonly Role[] Checkers = [Role.CheckpointOfficer, Role.Responder, Role.FieldReporter, Role.LogisticsCoordinator, Role.Commander];

    public static ProblemDetails Validate(CheckPassage? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("passCode", command.PassCode, 100).ToProblem();

    /// <summary>
    /// Every check is recorded, refused ones too: a forged or mistyped code is an answer (UnknownPass), never an error.
    /// Checks append to the channel's daily check stream, taking turns on the channel's row lock: simultaneous checks
    /// at every checkpoint of a channel are all recorded, and each sees the channel as the last committed change left it
    /// (a revocation committed before a check refuses it). The channel's version does not move.
    /// </summary>
    [WolverinePost("/api/green-channels/{id:guid}/checkpoints/{code}/passages", OperationId = "CheckPassage")]
    public static Task<PassageAnswer> Post(Guid id, string code, CheckPassage command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Transact(context, null, Checkers, async tx =>
        {
            // Checkpoint staff check whatever channel passes through their checkpoint, whoever runs it.
            var channel = await tx.OutsideScope(id).Lock<GreenChannel>(id);
            var check = GreenChannelDecisions.Check(channel, code, command.PassCode!.Trim(), tx.Now);
            tx.Record(GreenChannelProjection.ChecksStreamId(id, tx.Now), check);
            var pass = check.PassId is { } passId ? channel.Pass(passId) : null;
            return new PassageAnswer(check.Admitted, check.Reason, check.Admitted ? pass?.Id : null, check.Admitted ? pass?.VehiclePlate : null);
        }, ct);
}
