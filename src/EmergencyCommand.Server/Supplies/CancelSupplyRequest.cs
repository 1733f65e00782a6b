using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record CancelSupplyRequest(string? Reason);

public static class CancelSupplyRequestEndpoint
{
    public static ProblemDetails Validate(CancelSupplyRequest? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("reason", command.Reason).ToProblem();

    /// <summary>
    /// Releases every reserved allocation and cancels the request in one commit: the request and every depot holding
    /// its stock are locked together, so the stock and the request never disagree, even half way.
    /// </summary>
    [WolverinePost("/api/supply-requests/{id:guid}/cancellation", OperationId = "CancelSupplyRequest")]
    public static Task<Written> Post(Guid id, CancelSupplyRequest command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Transact(context, id, SuppliesModule.Keepers, async tx =>
        {
            // Which depots to lock comes from a read before the locks (locks are taken in id order, never one by one).
            var depots = SupplyDecisions.DepotsHolding(await tx.Peek<SupplyRequest>(id));
            // Releasing the request's own reservations is part of cancelling it, wherever the depots lie (as a delivery's receipt).
            foreach (var depot in depots) tx.OutsideScope(depot);
            var (request, _) = await tx.Lock<SupplyRequest, Depot>(id, depots);
            if (!SupplyDecisions.DepotsHolding(request).IsSubsetOf(depots))
                throw new ReadAgain(new RuleViolation("cancel-settled", "Allocations keep arriving on this request; try again."));
            tx.Apply(SupplyDecisions.CancelRequest(request, command.Reason!.Trim(), tx.Now), e => e is ReservationReleased released ? released.DepotId : id);
            return new Written(id, tx.VersionAfter(id));
        }, ct);
}
