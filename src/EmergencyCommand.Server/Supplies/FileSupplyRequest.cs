using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record FileSupplyRequest(string? Requester, string? Jurisdiction, Priority? Priority, IReadOnlyList<LineInput>? Lines, Instant? NeededBy);

public static class FileSupplyRequestEndpoint
{
    public static ProblemDetails Validate(FileSupplyRequest? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors()
            .Require("requester", command.Requester, 200)
            .Jurisdiction("jurisdiction", command.Jurisdiction)
            .Require("priority", command.Priority)
            .Lines(command.Lines)
            .Require("neededBy", command.NeededBy)
            .ToProblem();

    [WolverinePost("/api/supply-requests", OperationId = "FileSupplyRequest")]
    public static async Task<Created> Post(FileSupplyRequest command, CommandContext context, EventStreams streams, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var filed = SupplyDecisions.FileRequest(id, command.Requester!.Trim(), command.Jurisdiction!, command.Priority!.Value,
            command.Lines!.ToLines(), command.NeededBy!.Value, streams.Now);
        return Created.At($"/api/supply-requests/{id}",
            await streams.Start<SupplyRequest>(context, id, command.Jurisdiction!, SuppliesModule.Keepers, [filed], ct));
    }
}
