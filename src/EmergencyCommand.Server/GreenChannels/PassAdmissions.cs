using EmergencyCommand.Domain.GreenChannels;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using NodaTime;

namespace EmergencyCommand.Server.GreenChannels;

/// <summary>Where and when a pass was last admitted: one document per pass that was ever admitted.</summary>
public sealed class PassAdmission
{
    public Guid Id { get; set; }
    public Guid ChannelId { get; set; }
    public string CheckpointCode { get; set; } = "";
    public Instant AdmittedAt { get; set; }

    public LastAdmission Last => new(CheckpointCode, AdmittedAt);
}

/// <summary>
/// Kept inline, in the transaction of the admitted check: checks of a channel take turns on its row lock, so the next
/// check reads the admission the previous one committed.
/// </summary>
public sealed class PassAdmissionProjection : IProjection
{
    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
            if (e.Data is CheckpointChecked { Admitted: true, PassId: { } pass } check)
                operations.Store(new PassAdmission { Id = pass, ChannelId = check.ChannelId, CheckpointCode = check.CheckpointCode, AdmittedAt = check.CheckedAt });
        return Task.CompletedTask;
    }
}
