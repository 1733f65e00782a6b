using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record CancelAllocation(string? Reason);

public static class CancelAllocationEndpoint
{
    public static ProblemDetails Validate(CancelAllocation? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("reason", command.Reason).ToProblem();

    [WolverinePost("/api/supply-requests/{id:guid}/allocations/{allocationId:guid}/cancellation", OperationId = "CancelAllocation")]
    public static Task<Written> Post(Guid id, Guid allocationId, CancelAllocation command, CommandContext context, EventStreams streams,
        CancellationToken ct) =>
        streams.Transact(context, id, SuppliesModule.Keepers, async tx =>
        {
            // An allocation never moves to another depot: which one to lock is known before the locks.
            var depotId = (await tx.Peek<SupplyRequest>(id)).Allocation(allocationId)?.DepotId
                          ?? throw ProblemException.NotFound($"Allocation {allocationId} of request {id}");
            // Releasing what was reserved for the request is part of cancelling it, wherever the depot lies.
            var (depot, request) = await tx.OutsideScope(depotId).Lock<Depot, SupplyRequest>(depotId, id);
            tx.Apply(SupplyDecisions.CancelAllocation(depot, request, allocationId, command.Reason!.Trim(), tx.Now),
                e => e is ReservationReleased ? depotId : id);
            return new Written(id, tx.VersionAfter(id));
        }, ct);
}
