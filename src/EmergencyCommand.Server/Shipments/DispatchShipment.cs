using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.GreenChannels;
using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Shipments;

public sealed record DispatchShipment(Guid? AllocationId, Guid? GreenChannelId, Guid? PassId);

public static class DispatchShipmentEndpoint
{
    public static ProblemDetails Validate(DispatchShipment? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("allocationId", command.AllocationId).Require("greenChannelId", command.GreenChannelId)
            .Require("passId", command.PassId).ToProblem();

    /// <summary>
    /// Puts an allocation on the road: the shipment starts, and the request records that the allocation left. The channel
    /// is only read: a city puts its own supplies on the nation's corridor through it, as long as the corridor concerns them.
    /// </summary>
    [WolverinePost("/api/shipments", OperationId = "DispatchShipment")]
    public static async Task<Created> Post(DispatchShipment command, CommandContext context, EventStreams streams, IQuerySession session, CancellationToken ct)
    {
        var allocationId = command.AllocationId!.Value;
        var requestId = await RequestOf(allocationId, session, ct);
        var shipmentId = ShipmentProjection.StreamId(allocationId);
        var channelId = command.GreenChannelId!.Value;
        try
        {
            var version = await streams.Transact(context, requestId, GreenChannelsModule.Operators, async tx =>
            {
                var (channel, request) = await tx.OutsideScope(channelId).Lock<GreenChannel, SupplyRequest>(channelId, requestId);
                if (!Scope.Of(context.Actor.Jurisdictions).Concerns(channel.Jurisdiction)) throw ProblemException.NotFound($"Green channel {channelId}");
                tx.Apply(ShipmentDecisions.Dispatch(channel, request, allocationId, command.PassId!.Value, shipmentId, tx.Now),
                    e => e is ShipmentDispatched ? shipmentId : requestId);
                return tx.VersionAfter(shipmentId);
            }, ct);
            return new Created(shipmentId, version, $"/api/shipments/{shipmentId}");
        }
        catch (JasperFx.Events.ExistingStreamIdCollisionException)
        {
            throw ProblemException.Refused(new RuleViolation("ship-once", "This allocation is already shipped."));
        }
    }

    private static async Task<Guid> RequestOf(Guid allocationId, IQuerySession session, CancellationToken ct)
    {
        var requests = await session.Query<SupplyRequest>().Where(r => r.Allocations.Any(a => a.Id == allocationId)).ToListAsync(ct);
        return requests.SingleOrDefault()?.Id ?? throw ProblemException.NotFound($"Allocation {allocationId}");
    }
}
