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
    private const int MaxAttempts = 5;

    public static ProblemDetails Validate(CancelSupplyRequest? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("reason", command.Reason).ToProblem();

    /// <summary>
    /// Releases every reserved allocation and cancels the request in one commit: the request and every depot holding
    /// its stock are locked together, so the stock and the request never disagree, even half way.
    /// </summary>
    [WolverinePost("/api/supply-requests/{id:guid}/cancellation", OperationId = "CancelSupplyRequest")]
    public static async Task<Written> Post(Guid id, CancelSupplyRequest command, EventStreams streams, IQuerySession session, CancellationToken ct)
    {
        var reason = command.Reason!.Trim();
        for (var attempt = 1; ; attempt++)
        {
            // Which depots to lock comes from a read before the locks (locks are taken in id order, never one by one).
            var known = await session.LoadAsync<SupplyRequest>(id, ct) ?? throw ProblemException.NotFound($"Supply request {id}");
            var depots = SupplyDecisions.DepotsHolding(known);
            var written = await streams.Transact(id, [Role.LogisticsCoordinator, Role.Commander], async tx =>
            {
                var (request, _) = await tx.Lock<SupplyRequest, Depot>(id, depots);
                // An allocation from another depot landed between the read and the locks: read again.
                if (!SupplyDecisions.DepotsHolding(request).IsSubsetOf(depots)) return null;
                tx.Apply(SupplyDecisions.CancelRequest(request, reason, tx.Now), e => e is ReservationReleased released ? released.DepotId : id);
                return new Written(id, tx.VersionAfter(id));
            }, ct);
            if (written is not null) return written;
            if (attempt == MaxAttempts)
                throw ProblemException.Refused(new RuleViolation("cancel-settled", "Allocations keep arriving on this request; try again."));
        }
    }
}
