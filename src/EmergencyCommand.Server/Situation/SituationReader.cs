using EmergencyCommand.Domain.Situation;
using JasperFx.Events;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Situation;

/// <summary>The whole situation at one point of the log, kept every <see cref="SituationReader.SnapshotEvery"/> events.</summary>
public sealed class SituationSnapshot
{
    /// <summary>The sequence of the last event folded in.</summary>
    public long Id { get; set; }
    public DateTimeOffset LastTimestamp { get; set; }
    public SituationState State { get; set; } = SituationState.Empty;
}

/// <summary>
/// Rebuilds the situation from the event log, exactly, up to an instant or a sequence number: from the latest
/// snapshot at or before that point, then the events after it. Reads never touch the write path.
/// </summary>
public sealed class SituationReader(IDocumentStore store)
{
    public const long SnapshotEvery = 5_000;

    public async Task<SituationState> AsOf(Instant? at, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var cutoff = at?.ToDateTimeOffset();
        var snapshots = session.Query<SituationSnapshot>().AsQueryable();
        if (cutoff is { } before) snapshots = snapshots.Where(s => s.LastTimestamp <= before);
        var snapshot = await snapshots.OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        var from = snapshot?.Id ?? 0;
        IQueryable<IEvent> query = session.Events.QueryAllRawEvents().Where(e => e.Sequence > from);
        if (cutoff is { } c)
        {
            query = query.Where(e => e.Timestamp <= c);
            // Without an upper sequence bound PostgreSQL reads every later event only to drop it by its timestamp
            // (1M rows for an early instant in a 1M-event log); the first snapshot after the instant bounds the scan.
            // Both bounds rest on commit timestamps growing with the sequence, as the snapshot choice above does.
            var until = await session.Query<SituationSnapshot>().Where(s => s.LastTimestamp > c)
                .OrderBy(s => s.Id).Select(s => s.Id).FirstOrDefaultAsync(ct);
            if (until > from) query = query.Where(e => e.Sequence <= until);
        }
        return await Fold(snapshot?.State ?? SituationState.Empty, query, ct);
    }

    /// <summary>The situation once the events up to and including <paramref name="sequence"/> are folded in.</summary>
    public Task<SituationState> Through(long sequence, CancellationToken ct) => Before(sequence + 1, ct);

    /// <summary>The situation as it stood just before the event with <paramref name="sequence"/> was committed.</summary>
    public async Task<SituationState> Before(long sequence, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var snapshot = await session.Query<SituationSnapshot>().Where(s => s.Id < sequence).OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        var from = snapshot?.Id ?? 0;
        return await Fold(snapshot?.State ?? SituationState.Empty,
            session.Events.QueryAllRawEvents().Where(e => e.Sequence > from && e.Sequence < sequence), ct);
    }

    private static async Task<SituationState> Fold(SituationState state, IQueryable<IEvent> events, CancellationToken ct)
    {
        await foreach (var e in events.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct))
            state = state.Evolve(e.StreamId, e.Sequence, e.Data);
        return state;
    }
}
