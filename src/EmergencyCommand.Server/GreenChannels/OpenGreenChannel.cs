using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.GreenChannels;

/// <param name="Kilometre">Optional: where the checkpoint lies along the corridor, so that one pass seen at two checkpoints faster than the road allows is refused.</param>
public sealed record CheckpointInput(string? Code, string? Name, double? Kilometre = null);

public sealed record OpenGreenChannel(
    string? Name, string? Origin, string? Destination, IReadOnlyList<CheckpointInput>? Checkpoints,
    Instant? ValidFrom, Instant? ValidUntil, IReadOnlyList<string>? Cargo, string? Jurisdiction);

public static class OpenGreenChannelEndpoint
{
    public static ProblemDetails Validate(OpenGreenChannel? command)
    {
        if (command is null) return FieldErrors.MissingBody();
        var errors = new FieldErrors()
            .Require("name", command.Name, 200).Require("origin", command.Origin, 200).Require("destination", command.Destination, 200)
            .Require("validFrom", command.ValidFrom).Require("validUntil", command.ValidUntil)
            .When(command.ValidUntil <= command.ValidFrom, "validUntil", "must be after validFrom")
            .When(command.Checkpoints is null || command.Checkpoints.Count == 0, "checkpoints", "at least one checkpoint is required")
            .When(command.Cargo?.Any(string.IsNullOrWhiteSpace) == true, "cargo", "cargo names must not be empty");
        if (command.Jurisdiction is not null) errors.Jurisdiction("jurisdiction", command.Jurisdiction);
        for (var i = 0; i < (command.Checkpoints?.Count ?? 0); i++)
            errors.Require($"checkpoints[{i}].code", command.Checkpoints![i]?.Code, 50).Require($"checkpoints[{i}].name", command.Checkpoints[i]?.Name, 200)
                .When(command.Checkpoints[i]?.Kilometre is { } km && (!double.IsFinite(km) || km < 0 || km > 100_000), $"checkpoints[{i}].kilometre",
                    "must be a distance along the corridor in kilometres, from 0 to 100000")
                // The code is a segment of the checks' route: a slash would split it, and dots alone are read as a step up.
                .When(command.Checkpoints[i]?.Code is { } code && (code.Contains('/') || code.Trim() is { Length: > 0 } trimmed && trimmed.All(ch => ch == '.')), $"checkpoints[{i}].code",
                    "must not contain a slash or be only dots: it is part of the address where checks are recorded");
        if (command.Checkpoints?.Where(c => c?.Code is not null).GroupBy(c => c.Code!.Trim()).Any(g => g.Count() > 1) == true)
            errors.Add("checkpoints", "checkpoint codes must be unique");
        return errors.ToProblem();
    }

    [WolverinePost("/api/green-channels", OperationId = "OpenGreenChannel")]
    public static async Task<Created> Post(OpenGreenChannel command, CommandContext context, EventStreams streams, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var jurisdiction = command.Jurisdiction ?? context.Actor.Jurisdictions.FirstOrDefault() ?? Jurisdictions.Nation;
        var opened = new GreenChannelOpened(id, command.Name!.Trim(), command.Origin!.Trim(), command.Destination!.Trim(),
            command.Checkpoints!.Select(c => new Checkpoint(c.Code!.Trim(), c.Name!.Trim(), c.Kilometre)).ToList(),
            command.ValidFrom!.Value, command.ValidUntil!.Value, command.Cargo?.Select(c => c.Trim()).ToList() ?? [], jurisdiction, streams.Now);
        return Created.At($"/api/green-channels/{id}", await streams.Start<GreenChannel>(context, id, jurisdiction, GreenChannelsModule.Operators, [opened], ct));
    }
}
