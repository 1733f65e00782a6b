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
    /// <remarks>A reader sees the shares of the requests within their jurisdictions; the stock split is the nation's (the plan is one plan).</remarks>
    [WolverineGet("/api/allocation-plan", OperationId = "GetAllocationPlan")]
    public static async Task<AllocationPlanView> Get(string? item, string? asOf, Reader reader, IQuerySession session, WaitingNeeds waiting,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(item)) throw ProblemException.Invalid("item", "is required");
        var at = QueryValues.AsOf(asOf);
        var plan = at is null ? await Plan(item.Trim(), waiting, ct) : await PlanAsOf(item.Trim(), session, at.Value, ct);
        return reader.Scope.IsEverything ? plan : plan with { Shares = plan.Shares.Where(s => reader.Sees(s.Jurisdiction)).ToList() };
    }

    /// <summary>
    /// It runs before every allocation, so it reads only what it weighs: the item's stock over every depot and the
    /// requests still waiting for it, without their allocation history (<see cref="SupplyNeed"/>), in one round trip,
    /// and of those only the ones changed since the last plan (<see cref="WaitingNeeds"/>). Its cost follows what is
    /// waiting, not how many requests were ever filed or allocated. As it stood at an instant, it replays every request
    /// instead (<see cref="PlanAsOf"/>).
    /// </summary>
    public static async Task<AllocationPlanView> Plan(string item, WaitingNeeds waiting, CancellationToken ct)
    {
        var (available, needs) = await waiting.Of(item, ct);
        var shares = AllocationPlan.Recommend(available, needs.Select(n => n.For(item)).OfType<WaitingRequest>());
        return new AllocationPlanView(item, available, shares.Sum(s => s.Outstanding), shares);
    }

    private static async Task<AllocationPlanView> PlanAsOf(string item, IQuerySession session, Instant at, CancellationToken ct)
    {
        // A request cancelled since may have been open then.
        var depots = (await StreamReads.List(session, await session.Query<Depot>().ToListAsync(ct), d => d.Id, at, Depot.Replay, ct)).Select(d => d.State);
        var requests = (await StreamReads.List(session, await session.Query<SupplyRequest>().ToListAsync(ct), r => r.Id, at, SupplyRequest.Replay, ct))
            .Select(r => r.State);
        var available = depots.Sum(d => d.Available(item));
        var shares = AllocationPlan.Recommend(item, available, requests);
        return new AllocationPlanView(item, available, shares.Sum(s => s.Outstanding), shares);
    }
}
