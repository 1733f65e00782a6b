using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record DispatchTask(string? Department, string? Instruction, Instant? DueAt);

public static class DispatchTaskEndpoint
{
    public static ProblemDetails Validate(DispatchTask? command, IClock clock) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors()
            .Require("department", command.Department, 200)
            .Require("instruction", command.Instruction)
            .Require("dueAt", command.DueAt)
            .When(command.DueAt <= clock.GetCurrentInstant(), "dueAt", "must be in the future")
            .ToProblem();

    [WolverinePost("/api/incidents/{id:guid}/tasks", OperationId = "DispatchTask")]
    public static async Task<Created> Post(Guid id, DispatchTask command, CommandContext context, EventStreams streams, CancellationToken ct)
    {
        var taskId = Guid.CreateVersion7();
        var written = await streams.Append<Incident>(context, id, [Role.Commander],
            (incident, now) => IncidentDecisions.DispatchTask(
                incident, taskId, command.Department!.Trim(), command.Instruction!.Trim(), command.DueAt!.Value, now), ct);
        return new Created(taskId, written.Version, $"/api/incidents/{id}");
    }
}
