using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Shipments;

public sealed record DeliverShipment(IReadOnlyList<LineInput>? Lines, string? ReceivedBy);

public static class DeliverShipmentEndpoint
{
    private static readonly Role[] Receivers = [Role.LogisticsCoordinator, Role.Commander, Role.Responder];

    public static ProblemDetails Validate(DeliverShipment? command)
    {
        if (command is null) return FieldErrors.MissingBody();
        var errors = new FieldErrors().Optional("receivedBy", command.ReceivedBy, 200);
        if (command.Lines is null) return errors.Add("lines", "is required (an empty list means nothing arrived)").ToProblem();
        if (command.Lines.Count > 200) return errors.Add("lines", "at most 200 lines").ToProblem();
        for (var i = 0; i < command.Lines.Count; i++)
            errors.Require($"lines[{i}].item", command.Lines[i]?.Item, 200).When(command.Lines[i]?.Quantity is null or < 0, $"lines[{i}].quantity", "must be zero or more");
        // Two lines for one item would count only the first as received, and the rest as lost on the road.
        var twice = command.Lines.Where(l => l?.Item is not null).GroupBy(l => l!.Item!.Trim()).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0) errors.Add("lines", $"each item once per receipt: {string.Join(", ", twice)}");
        return errors.ToProblem();
    }

    /// <summary>The receipt: the goods leave the depot's stock and count as delivered on the request, all in one commit.</summary>
    [WolverinePost("/api/shipments/{id:guid}/delivery", OperationId = "DeliverShipment")]
    public static Task<Written> Post(Guid id, DeliverShipment command, CommandContext context, EventStreams streams, CancellationToken ct)
    {
        var received = command.Lines!.Select(l => new SupplyLine(l.Item!.Trim(), l.Quantity!.Value)).ToList();
        return streams.Transact(context, id, Receivers, async tx =>
        {
            // A shipment's depot and request never change: which streams to lock is known before the locks.
            var known = await tx.Peek<Shipment>(id);
            // The receiver confirms for their own side; the sending depot follows from the receipt.
            var (shipment, _, _) = await tx.OutsideScope(known.DepotId).Lock<Shipment, Depot, SupplyRequest>(id, known.DepotId, known.RequestId);
            tx.Apply(ShipmentDecisions.Deliver(shipment, received, command.ReceivedBy?.Trim(), tx.Now), e => e switch
            {
                ShipmentDelivered => id,
                StockDelivered => known.DepotId,
                _ => known.RequestId,
            });
            return new Written(id, tx.VersionAfter(id));
        }, ct);
    }
}
