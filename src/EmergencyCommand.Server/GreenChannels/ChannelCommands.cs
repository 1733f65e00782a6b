using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.GreenChannels;

public sealed record ChannelReason(string? Reason);

/// <summary>Revoking a pass, and disrupting, restoring and closing the channel: each a small decision on the channel's stream.</summary>
public static class ChannelCommandEndpoints
{
    public static ProblemDetails Validate(ChannelReason? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("reason", command.Reason).ToProblem();

    [WolverinePost("/api/green-channels/{id:guid}/passes/{passId:guid}/revocation", OperationId = "RevokePass")]
    public static Task<Written> Revoke(Guid id, Guid passId, ChannelReason command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<GreenChannel>(context, id, GreenChannelsModule.Operators, (channel, now) =>
            channel.Pass(passId) is null
                ? throw ProblemException.NotFound($"Pass {passId} of channel {id}")
                : GreenChannelDecisions.RevokePass(channel, passId, command.Reason!.Trim(), now), ct);

    [WolverinePost("/api/green-channels/{id:guid}/disruptions", OperationId = "DisruptChannel")]
    public static Task<Written> Disrupt(Guid id, ChannelReason command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<GreenChannel>(context, id, GreenChannelsModule.Operators,
            (channel, now) => GreenChannelDecisions.Disrupt(channel, command.Reason!.Trim(), now), ct);

    [WolverinePost("/api/green-channels/{id:guid}/closure", OperationId = "CloseChannel")]
    public static Task<Written> Close(Guid id, ChannelReason command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<GreenChannel>(context, id, GreenChannelsModule.Operators,
            (channel, now) => GreenChannelDecisions.Close(channel, command.Reason!.Trim(), now), ct);
}

public static class RestoreChannelEndpoint
{
    [WolverinePost("/api/green-channels/{id:guid}/restoration", OperationId = "RestoreChannel")]
    public static Task<Written> Post(Guid id, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<GreenChannel>(context, id, GreenChannelsModule.Operators, (channel, now) => GreenChannelDecisions.Restore(channel, now), ct);
}
