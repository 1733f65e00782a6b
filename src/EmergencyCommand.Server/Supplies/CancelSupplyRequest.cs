using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Infrastructure;
using Marten;
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
    /// Releases every reserved allocation (each one atomically with its depot), then cancels the request.
    /// Should it stop half way, what is recorded is still consistent: released allocations are simply cancelled.
    /// </summary>
    [WolverinePost("/api/supply-requests/{id:guid}/cancellation", OperationId = "CancelSupplyRequest")]
    public static async Task<Written> Post(Guid id, CancelSupplyRequest command, EventStreams streams, IQuerySession session, CancellationToken ct)
    {
        var reason = command.Reason!.Trim();
        var request = await session.LoadAsync<SupplyRequest>(id, ct) ?? throw ProblemException.NotFound($"Supply request {id}");
        if (SupplyDecisions.CancelRequest(request, reason, streams.Now).Violation is { } violation) throw ProblemException.Refused(violation);
        foreach (var allocation in request.Allocations.Where(a => a.Status == AllocationStatus.Reserved))
            await CancelAllocationEndpoint.Release(streams, allocation.DepotId, id, allocation.Id, $"Request cancelled: {reason}", ct);
        return await streams.Append<SupplyRequest>(id, [Role.LogisticsCoordinator, Role.Commander],
            (current, now) => SupplyDecisions.CancelRequest(current, reason, now), ct);
    }
}
