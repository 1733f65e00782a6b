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
        return await Release(streams, allocation.DepotId, id, allocationId, command.Reason!.Trim(), ct);
    }

    public static async Task<Written> Release(EventStreams streams, Guid depotId, Guid requestId, Guid allocationId, string reason, CancellationToken ct)
    {
        var version = await streams.Transact(requestId, [Role.LogisticsCoordinator, Role.Commander], async tx =>
        {
            var (depot, request) = await tx.Lock<Depot, SupplyRequest>(depotId, requestId);
            tx.Apply(SupplyDecisions.CancelAllocation(depot, request, allocationId, reason, tx.Now),
                e => e is ReservationReleased ? depotId : requestId);
            return tx.VersionAfter(requestId);
        }, ct);
        return new Written(requestId, version);
    }
}
