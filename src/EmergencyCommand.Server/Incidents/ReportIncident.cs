using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record ReportIncident(
    IncidentCategory? Category,
    string? Title,
    string? Description,
    string? Jurisdiction,
    ReportedLocation? Location,
    Instant? OccurredAt,
    ReportSource? Source);

/// <summary>Where it happened, as sent: both coordinates are required (a missing one must not become 0°, off Africa's coast).</summary>
public sealed record ReportedLocation(double? Latitude, double? Longitude);

public static class ReportIncidentEndpoint
{
    private static readonly Role[] Allowed = [Role.FieldReporter, Role.Commander];

    // A report may say when something happened, never that it will happen: a few minutes of clock skew aside.
    private static readonly Duration ClockSkew = Duration.FromMinutes(5);

    public static ProblemDetails Validate(ReportIncident? command, IClock clock) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors()
            .Require("category", command.Category)
            .Require("title", command.Title, 200)
            .Optional("description", command.Description, 4000)
            .Jurisdiction("jurisdiction", command.Jurisdiction)
            .When(command.Location is null, "location", "is required")
            .When(command.Location is { Latitude: null }, "location.latitude", "is required")
            .When(command.Location is { Longitude: null }, "location.longitude", "is required")
            .When(command.Location is { Latitude: < -90 or > 90 }, "location.latitude", "must be between -90 and 90")
            .When(command.Location is { Longitude: < -180 or > 180 }, "location.longitude", "must be between -180 and 180")
            .NotAfter("occurredAt", command.OccurredAt, clock.GetCurrentInstant() + ClockSkew)
            .Require("source", command.Source)
            .ToProblem();

    [WolverinePost("/api/incidents", OperationId = "ReportIncident")]
    public static async Task<Created> Post(ReportIncident command, CommandContext context, EventStreams streams, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var reported = IncidentDecisions.Report(id, command.Category!.Value, command.Title!.Trim(), command.Description?.Trim() ?? "",
            command.Jurisdiction!, new GeoPoint(command.Location!.Latitude!.Value, command.Location.Longitude!.Value), command.OccurredAt!.Value, command.Source!.Value, streams.Now);
        var written = await streams.Start<Incident>(context, id, command.Jurisdiction!, Allowed, [reported], ct);
        return Created.At($"/api/incidents/{id}", written);
    }
}
