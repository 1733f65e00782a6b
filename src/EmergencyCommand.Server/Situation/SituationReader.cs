using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Situation;

/// <summary>The whole situation at one point of the log, kept every <see cref="SituationReader.SnapshotEvery"/> events.</summary>
public sealed class SituationSnapshot : ISnapshot<SituationState>
{
    public long Id { get; set; }
    public DateTimeOffset LastTimestamp { get; set; }

    /// <summary>Stored without what the board's copy of an incident leaves blank (<see cref="SnapshotJson"/>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(SnapshotJson))]
    public SituationState State { get; set; } = SituationState.Empty;
}

/// <summary>
/// Rebuilds the situation from the event log, exactly, up to an instant or a sequence number: from the latest snapshot
/// at or before that point, then the events after it. Reads never touch the write path.
/// </summary>
public sealed class SituationReader(IDocumentStore store)
{
    public const long SnapshotEvery = 5_000;

    /// <summary>How the situation is folded from the log, the one way for the live board, its snapshots and time travel.</summary>
    public static readonly SnapshotFold<SituationSnapshot, SituationState> Fold =
        new(SituationState.Empty, (state, e) => state.Evolve(e.StreamId, e.Sequence, e.Data), LearnIncidents);

    /// <summary>
    /// A state read from a snapshot holds of the open incidents only those with open tasks: the others a batch touches
    /// are read from their own streams, as they stood just before the batch.
    /// </summary>
    private static async Task<SituationState> LearnIncidents(IQuerySession session, SituationState state, IReadOnlyList<IEvent> batch,
        FoldCut cut, CancellationToken ct)
    {
        var unknown = state.Unknown(batch.Select(e => (e.StreamId, e.Data)));
        if (unknown.Count == 0) return state;
        var history = await EventLog.OfStreamsBefore(session, unknown, batch[0].Sequence, cut, ct);
        return state.Knowing(history.GroupBy(e => e.StreamId, e => e.Data));
    }

    public async Task<SituationState> AsOf(Instant? at, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await Fold.AsOf(session, at, ct);
    }

    /// <summary>The situation once the events up to and including <paramref name="sequence"/> are folded in.</summary>
    public async Task<SituationState> Through(long sequence, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await Fold.Through(session, sequence, ct);
    }

    /// <summary>The situation as it stood just before the event with <paramref name="sequence"/> was committed.</summary>
    public async Task<SituationState> Before(long sequence, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await Fold.Before(session, sequence, ct);
    }
}
