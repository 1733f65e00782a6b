using System.Security.Cryptography;
using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.GreenChannels;

public sealed record IssuePass(string? VehiclePlate, string? Driver, IReadOnlyList<string>? Cargo, Instant? ValidUntil);

public sealed record PassCreated(Guid Id, string PassCode, long Version, string Url) : CreationResponse(Url);

public static class IssuePassEndpoint
{
    public static ProblemDetails Validate(IssuePass? command, IClock clock) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors()
            .Require("vehiclePlate", command.VehiclePlate, 20).Require("driver", command.Driver, 100)
            .When(command.Cargo is null || command.Cargo.Count == 0 || command.Cargo.Any(string.IsNullOrWhiteSpace), "cargo", "name at least one cargo")
            .Require("validUntil", command.ValidUntil)
            .When(command.ValidUntil <= clock.GetCurrentInstant(), "validUntil", "must be in the future")
            .ToProblem();

    /// <summary>
    /// The code is in this answer and nowhere else: the log keeps its keyed hash, and a retry with the same
    /// Idempotency-Key gets this answer without it (revoke the pass and issue another if the code was lost).
    /// </summary>
    [WolverinePost("/api/green-channels/{id:guid}/passes", OperationId = "IssuePass")]
    public static async Task<PassCreated> Post(Guid id, IssuePass command, CommandContext context, EventStreams streams, PassCodeKey key,
        HttpContext http, CancellationToken ct)
    {
        var passId = Guid.CreateVersion7();
        var code = PassCodes.Format(RandomNumberGenerator.GetBytes(12));
        IdempotencyMiddleware.KeepWithout(http, "passCode");
        var written = await streams.Append<GreenChannel>(context, id, GreenChannelsModule.Operators,
            (channel, now) => GreenChannelDecisions.IssuePass(channel, passId, key.Hash(code), command.VehiclePlate!.Trim().ToUpperInvariant(),
                command.Driver!.Trim(), command.Cargo!.Select(c => c.Trim()).ToList(), command.ValidUntil!.Value, now), ct);
        return new PassCreated(passId, code, written.Version, $"/api/green-channels/{id}");
    }
}
