using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Supplies;

public sealed record RegisterDepot(string? Name, string? Jurisdiction);

public static class RegisterDepotEndpoint
{
    public static ProblemDetails Validate(RegisterDepot? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("name", command.Name, 200).Jurisdiction("jurisdiction", command.Jurisdiction).ToProblem();

    [WolverinePost("/api/depots", OperationId = "RegisterDepot")]
    public static async Task<Created> Post(RegisterDepot command, CommandContext context, EventStreams streams, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var registered = SupplyDecisions.RegisterDepot(id, command.Name!.Trim(), command.Jurisdiction!, streams.Now);
        return Created.At($"/api/depots/{id}", await streams.Start<Depot>(context, id, command.Jurisdiction!, SuppliesModule.Keepers, [registered], ct));
    }
}
