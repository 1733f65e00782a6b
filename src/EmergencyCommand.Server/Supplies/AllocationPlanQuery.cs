using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Infrastructure;
using Marten;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record AllocationPlanView(string Item, long Available, long Outstanding, IReadOnlyList<PlannedShare> Shares);

public static class AllocationPlanQuery
{
    /// <summary>Advice on splitting one item's available stock (over all depots) across the open requests.</summary>
    [WolverineGet("/api/allocation-plan", OperationId = "GetAllocationPlan")]
    public static Task<AllocationPlanView> Get(string? item, IQuerySession session, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(item) ? throw ProblemException.Invalid("item", "is required") : Plan(item.Trim(), session, ct);

    public static async Task<AllocationPlanView> Plan(string item, IQuerySession session, CancellationToken ct)
    {
        var depots = await session.Query<Depot>().ToListAsync(ct);
        var requests = await session.Query<SupplyRequest>().Where(r => !r.Cancelled).ToListAsync(ct);
        var available = depots.Sum(d => d.Available(item));
        var shares = AllocationPlan.Recommend(item, available, requests);
        return new AllocationPlanView(item, available, shares.Sum(s => s.Outstanding), shares);
    }
}
