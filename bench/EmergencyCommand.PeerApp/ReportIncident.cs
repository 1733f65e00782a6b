using Wolverine.Http;
using Wolverine.Marten;

namespace EmergencyCommand.PeerApp;

public sealed record Location(double Latitude, double Longitude);

public sealed record ReportIncident(string Category, string Title, string? Description, string Jurisdiction, Location Location,
    DateTimeOffset? OccurredAt, string? Source);

public sealed record IncidentReported(Guid IncidentId, string Category, string Title, string Description, string Jurisdiction,
    Location Location, DateTimeOffset? OccurredAt, string? Source, DateTimeOffset ReportedAt);

/// <summary>The stream's aggregate type; nothing projects it.</summary>
public sealed class Incident
{
    public Guid Id { get; set; }
}

public sealed record IncidentCreated(Guid Id) : CreationResponse("/incidents/" + Id);

public static class ReportIncidentEndpoint
{
    /// <summary>201 with the new id; the stream is started by Wolverine's transaction (AutoApplyTransactions).</summary>
    [WolverinePost("/incidents")]
    public static (IncidentCreated, IStartStream) Post(ReportIncident command)
    {
        var id = Guid.CreateVersion7();
        var reported = new IncidentReported(id, command.Category, command.Title.Trim(), command.Description?.Trim() ?? "",
            command.Jurisdiction, command.Location, command.OccurredAt, command.Source, DateTimeOffset.UtcNow);
        return (new IncidentCreated(id), MartenOps.StartStream<Incident>(id, reported));
    }
}
