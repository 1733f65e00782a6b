using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Infrastructure;
using Marten;
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
    public static async Task<Written> Post(Guid id, Guid allocationId, CancelAllocation command, EventStreams streams,
        IQuerySession session, CancellationToken ct)
    {
        var request = await session.LoadAsync<SupplyRequest>(id, ct) ?? throw ProblemException.NotFound($"Supply request {id}");
        var allocation = request.Allocation(allocationId) ?? throw ProblemException.NotFound($"Allocation {allocationId} of request {id}");
        var depotId = allocation.DepotId;
        var version = await streams.Transact(id, [Role.LogisticsCoordinator, Role.Commander], async tx =>
        {
            var (depot, current) = await tx.Lock<Depot, SupplyRequest>(depotId, id);
            tx.Apply(SupplyDecisions.CancelAllocation(depot, current, allocationId, command.Reason!.Trim(), tx.Now),
                e => e is ReservationReleased ? depotId : id);
            return tx.VersionAfter(id);
        }, ct);
        return new Written(id, version);
    }
}
