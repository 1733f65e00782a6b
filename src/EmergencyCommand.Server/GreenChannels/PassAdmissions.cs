using EmergencyCommand.Domain.GreenChannels;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using NodaTime;

namespace EmergencyCommand.Server.GreenChannels;

/// <summary>When a pass was last admitted at each checkpoint: one document per pass that was ever admitted.</summary>
public sealed class PassAdmission
{
    public Guid Id { get; set; }
    public Guid ChannelId { get; set; }
    /// <summary>A list, not a map: checkpoint codes are data, and a serializer's key naming policy must not touch them.</summary>
    public List<CheckpointAdmission> Last { get; set; } = [];

    public IReadOnlyDictionary<string, Instant> LastAt => Last.ToDictionary(a => a.CheckpointCode, a => a.At);
}

public sealed record CheckpointAdmission(string CheckpointCode, Instant At);

/// <summary>
/// Kept inline, in the transaction of the admitted check: checks of a channel take turns on its row lock, so the next
/// check reads the admissions the previous one committed.
/// </summary>
public sealed class PassAdmissionProjection : ProjectionBase, IProjection
{
    public PassAdmissionProjection()
    {
        IncludeType<CheckpointChecked>();
        Options.DeleteViewTypeOnTeardown<PassAdmission>(); // a rebuild starts from none
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var touched = new Dictionary<Guid, PassAdmission>();
        foreach (var e in events)
        {
            if (e.Data is not CheckpointChecked { Admitted: true, PassId: { } pass } check) continue;
            if (!touched.TryGetValue(pass, out var admission))
                touched[pass] = admission = await operations.LoadAsync<PassAdmission>(pass, ct) ?? new PassAdmission { Id = pass, ChannelId = check.ChannelId };
            admission.Last.RemoveAll(a => a.CheckpointCode == check.CheckpointCode);
            admission.Last.Add(new CheckpointAdmission(check.CheckpointCode, check.CheckedAt));
        }
        foreach (var admission in touched.Values) operations.Store(admission);
    }
}
