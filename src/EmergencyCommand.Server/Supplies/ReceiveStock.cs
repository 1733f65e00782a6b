using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record ReceiveStock(string? Item, long? Quantity, string? Source);

public static class ReceiveStockEndpoint
{
    public static ProblemDetails Validate(ReceiveStock? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("item", command.Item, 200).Quantity("quantity", command.Quantity).Require("source", command.Source, 200).ToProblem();

    [WolverinePost("/api/depots/{id:guid}/receipts", OperationId = "ReceiveStock")]
    public static Task<Written> Post(Guid id, ReceiveStock command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Append<Depot>(context, id, SuppliesModule.Keepers,
            (depot, now) => SupplyDecisions.ReceiveStock(depot, command.Item!.Trim(), command.Quantity!.Value, command.Source!.Trim(), now), ct);
}
