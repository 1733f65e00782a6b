using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.GreenChannels;

/// <param name="VehiclePlate">The plate the officer sees on the vehicle: a code is admitted only on its own vehicle.</param>
public sealed record CheckPassage(string? PassCode, string? VehiclePlate);

public sealed record PassageAnswer(bool Admitted, CheckRefusal? Reason, Guid? PassId, string? VehiclePlate);

public static class CheckPassageEndpoint
{
    /// <summary>Checkpoint officers, and staff of any operational role; reviewers only read.</summary>
    public static readonly Role[] Checkers = [Role.CheckpointOfficer, Role.Responder, Role.FieldReporter, Role.LogisticsCoordinator, Role.Commander];

    public static ProblemDetails Validate(CheckPassage? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("passCode", command.PassCode, 100).Require("vehiclePlate", command.VehiclePlate, 20).ToProblem();

    /// <summary>
    /// Every check is recorded, refused ones too: a forged or mistyped code is an answer (UnknownPass), never an error.
    /// Checks append to the channel's daily check stream, taking turns on the channel's row lock: simultaneous checks
    /// at every checkpoint of a channel are all recorded, and each sees the channel, and where and when its pass was last admitted,
    /// as the last committed check left them (a revocation committed before a check refuses it; one pass in two vehicles
    /// is admitted once). The channel's version does not move.
    /// </summary>
    [WolverinePost("/api/green-channels/{id:guid}/checkpoints/{code}/passages", OperationId = "CheckPassage")]
    public static Task<PassageAnswer> Post(Guid id, string code, CheckPassage command, CommandContext context, EventStreams streams,
        PassCodeKey key, PassageRules rules, CancellationToken ct) =>
        streams.Transact(context, null, Checkers, async tx =>
        {
            // Checkpoint staff check whatever channel passes through their checkpoint, whoever runs it.
            var channel = await tx.OutsideScope(id).Lock<GreenChannel>(id);
            // The check happened on the channel's road: replays and reviews of that area include it.
            tx.ActingOn(channel.Jurisdiction);
            var presented = key.Present(command.PassCode!.Trim(), command.VehiclePlate!.Trim());
            var admitted = channel.PassByCode(presented) is { } known ? (await tx.Find<PassAdmission>(known.Id))?.LastAt : null;
            var check = GreenChannelDecisions.Check(channel, code, presented, admitted ?? new Dictionary<string, NodaTime.Instant>(), rules, tx.Now);
            tx.Record(GreenChannelProjection.ChecksStreamId(id, tx.Now), check);
            var pass = check.PassId is { } passId ? channel.Pass(passId) : null;
            return new PassageAnswer(check.Admitted, check.Reason, check.Admitted ? pass?.Id : null, check.Admitted ? pass?.VehiclePlate : null);
        }, ct);
}
