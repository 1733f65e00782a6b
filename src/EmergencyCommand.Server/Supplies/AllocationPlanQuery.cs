using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record AllocationPlanView(string Item, long Available, long Outstanding, IReadOnlyList<PlannedShare> Shares);

public static class AllocationPlanQuery
{
    /// <summary>Advice on splitting one item's available stock (over all depots) across the open requests: now, or as it stood at <c>?asOf=</c>.</summary>
    [WolverineGet("/api/allocation-plan", OperationId = "GetAllocationPlan")]
    /// <remarks>A reader sees the shares of the requests within their jurisdictions; the stock split is the nation's (the plan is one plan).</remarks>
    public static async Task<AllocationPlanView> Get(string? item, string? asOf, Reader reader, IQuerySession session, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(item)) throw ProblemException.Invalid("item", "is required");
        var plan = await Plan(item.Trim(), session, ct, QueryValues.AsOf(asOf));
        return reader.Scope.IsEverything ? plan : plan with { Shares = plan.Shares.Where(s => reader.Sees(s.Jurisdiction)).ToList() };
    }

    public static async Task<AllocationPlanView> Plan(string item, IQuerySession session, CancellationToken ct, Instant? at = null)
    {
        IReadOnlyList<Depot> depots = await session.Query<Depot>().ToListAsync(ct);
        IReadOnlyList<SupplyRequest> requests;
        if (at is null) requests = await session.Query<SupplyRequest>().Where(r => !r.Cancelled).ToListAsync(ct);
        else
        {
            // A request cancelled since may have been open then.
            depots = (await StreamReads.List(session, depots, d => d.Id, at, Depot.Replay, ct)).Select(d => d.State).ToList();
            var all = await session.Query<SupplyRequest>().ToListAsync(ct);
            requests = (await StreamReads.List(session, all, r => r.Id, at, SupplyRequest.Replay, ct)).Select(r => r.State).Where(r => !r.Cancelled).ToList();
        }
        var available = depots.Sum(d => d.Available(item));
        var shares = AllocationPlan.Recommend(item, available, requests);
        return new AllocationPlanView(item, available, shares.Sum(s => s.Outstanding), shares);
    }
}
