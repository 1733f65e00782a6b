using System.Diagnostics;
using System.Globalization;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record AllocateSupplies(Guid? DepotId, IReadOnlyList<LineInput>? Lines, string? Rationale);

public static class AllocateSuppliesEndpoint
{
    public static ProblemDetails Validate(AllocateSupplies? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("depotId", command.DepotId).Lines(command.Lines).Require("rationale", command.Rationale).ToProblem();

    /// <summary>
    /// Reserves depot stock for the request: both streams change in one transaction, under their row locks,
    /// so any number of coordinators allocating at once can never over-commit a depot or over-serve a request.
    /// </summary>
    /// <remarks>The answer's <c>Server-Timing</c> header says what computing the plan's advice cost (<c>plan;dur=</c> milliseconds).</remarks>
    [WolverinePost("/api/supply-requests/{id:guid}/allocations", OperationId = "AllocateSupplies")]
    public static async Task<Created> Post(Guid id, AllocateSupplies command, CommandContext context, EventStreams streams, WaitingNeeds waiting,
        HttpResponse response, CancellationToken ct)
    {
        var lines = command.Lines!.ToLines();
        var planning = Stopwatch.StartNew();
        var advice = await PlanAdvice(id, lines, waiting, ct);
        response.Headers.Append("Server-Timing", string.Create(CultureInfo.InvariantCulture, $"plan;dur={planning.Elapsed.TotalMilliseconds:0.###}"));
        var allocationId = Guid.CreateVersion7();
        var depotId = command.DepotId!.Value;
        var version = await streams.Transact(context, id, [Role.LogisticsCoordinator], async tx =>
        {
            var (depot, request) = await tx.Lock<Depot, SupplyRequest>(depotId, id);
            tx.Apply(SupplyDecisions.Allocate(depot, request, allocationId, lines, command.Rationale!.Trim(), advice, tx.Now),
                e => e is StockReserved ? depotId : id);
            return tx.VersionAfter(id);
        }, ct);
        return new Created(allocationId, version, $"/api/supply-requests/{id}");
    }

    /// <summary>What the plan recommends for this request, per item, just before the allocation; recorded beside it.</summary>
    private static async Task<IReadOnlyList<SupplyLine>> PlanAdvice(Guid requestId, IReadOnlyList<SupplyLine> lines, WaitingNeeds waiting, CancellationToken ct)
    {
        var advice = new List<SupplyLine>();
        foreach (var item in lines.Select(l => l.Item))
        {
            var plan = await AllocationPlanQuery.Plan(item, waiting, ct);
            advice.Add(new SupplyLine(item, plan.Shares.FirstOrDefault(s => s.RequestId == requestId)?.Recommended ?? 0));
        }
        return advice;
    }
}
