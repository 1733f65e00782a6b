using System.Linq.Expressions;
using JasperFx.Events;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Platform;

/// <summary>A read model folded from the whole log, saved at one point of it.</summary>
public interface ISnapshot<TState>
{
    /// <summary>The sequence of the last event folded in.</summary>
    long Id { get; }
    DateTimeOffset LastTimestamp { get; }
    TState State { get; }
}

/// <summary>
/// A read model folded from the whole log in commit order, rebuilt for any point of it the one way: from the latest
/// snapshot at or before that point, then the events after it. The live board, its snapshots and time travel all use it.
/// </summary>
/// <param name="prepare">
/// Reads what the state must know before it folds a batch of events (a snapshot need not hold all it folds with), or
/// returns it as it is. It is told which events the fold reads (<see cref="FoldCut"/>), so that what it reads agrees.
/// </param>
public sealed class SnapshotFold<TSnapshot, TState>(
    TState empty,
    Func<TState, IEvent, TState> evolve,
    Func<IQuerySession, TState, IReadOnlyList<IEvent>, FoldCut, CancellationToken, Task<TState>> prepare) where TSnapshot : class, ISnapshot<TState>
{
    /// <summary>Events read, prepared and folded at a time after a snapshot (time travel).</summary>
    private const int Batch = 1_000;

    public TState Empty => empty;

    /// <summary>Prepares the state for a batch of events in commit order (<paramref name="events"/> may be empty).</summary>
    public Task<TState> Prepare(IQuerySession session, TState state, IReadOnlyList<IEvent> events, CancellationToken ct) =>
        Prepare(session, state, events, FoldCut.Everything, ct);

    private Task<TState> Prepare(IQuerySession session, TState state, IReadOnlyList<IEvent> events, FoldCut cut, CancellationToken ct) =>
        events.Count == 0 ? Task.FromResult(state) : prepare(session, state, events, cut, ct);

    public TState Evolve(TState state, IEvent e) => evolve(state, e);

    /// <summary>The state once a batch of events in commit order is folded in.</summary>
    public Task<TState> Fold(IQuerySession session, TState state, IReadOnlyList<IEvent> events, CancellationToken ct) =>
        Fold(session, state, events, FoldCut.Everything, ct);

    private async Task<TState> Fold(IQuerySession session, TState state, IReadOnlyList<IEvent> events, FoldCut cut, CancellationToken ct) =>
        events.Aggregate(await Prepare(session, state, events, cut, ct), evolve);

    /// <summary>The state once every event up to and including <paramref name="sequence"/> is folded in.</summary>
    public Task<TState> Through(IQuerySession session, long sequence, CancellationToken ct) => Before(session, sequence + 1, ct);

    /// <summary>The state as it stood just before the event with <paramref name="sequence"/> was committed.</summary>
    public async Task<TState> Before(IQuerySession session, long sequence, CancellationToken ct)
    {
        var snapshot = await session.Query<TSnapshot>().Where(Compare(nameof(ISnapshot<TState>.Id), ExpressionType.LessThan, sequence))
            .OrderByDescending(Member<long>(nameof(ISnapshot<TState>.Id))).FirstOrDefaultAsync(ct);
        return await Fold(session, snapshot, sequence - 1, null, ct);
    }

    /// <summary>The state as it stood at <paramref name="at"/> (by commit time), or now.</summary>
    public async Task<TState> AsOf(IQuerySession session, Instant? at, CancellationToken ct)
    {
        IQueryable<TSnapshot> snapshots = session.Query<TSnapshot>();
        var timestamp = nameof(ISnapshot<TState>.LastTimestamp);
        if (at is { } cutoff) snapshots = snapshots.Where(Compare(timestamp, ExpressionType.LessThanOrEqual, cutoff.ToDateTimeOffset()));
        var snapshot = await snapshots.OrderByDescending(Member<long>(nameof(ISnapshot<TState>.Id))).FirstOrDefaultAsync(ct);
        long? through = null;
        if (at is { } c)
        {
            // Without an upper sequence bound PostgreSQL reads every later event only to drop it by its timestamp
            // (1M rows for an early instant in a 1M-event log); the first snapshot after the instant bounds the scan.
            // Both bounds rest on commit timestamps growing with the sequence, as the snapshot choice above does.
            // Only its sequence: a snapshot's state is megabytes of JSON.
            var next = await session.Query<TSnapshot>().Where(Compare(timestamp, ExpressionType.GreaterThan, c.ToDateTimeOffset()))
                .OrderBy(Member<long>(nameof(ISnapshot<TState>.Id))).Select(Member<long>(nameof(ISnapshot<TState>.Id))).FirstOrDefaultAsync(ct);
            if (next > (snapshot?.Id ?? 0)) through = next;
        }
        return await Fold(session, snapshot, through, at, ct);
    }

    /// <summary>From a snapshot (or the start), the events after it up to <paramref name="through"/> committed at or before <paramref name="until"/>.</summary>
    private async Task<TState> Fold(IQuerySession session, TSnapshot? from, long? through, Instant? until, CancellationToken ct)
    {
        var state = from is null ? empty : from.State;
        var cut = new FoldCut(from?.Id ?? 0, until);
        // Batch by batch on the one session: what a batch needs is read before the next batch is.
        await foreach (var batch in EventLog.Batches(session, cut.Snapshot, through, until, Batch, ct))
            state = await Fold(session, state, batch, cut, ct);
        return state;
    }

    // Built against the snapshot's own properties, so Marten's LINQ sees plain members of the document type.
    private static Expression<Func<TSnapshot, T>> Member<T>(string name)
    {
        var snapshot = Expression.Parameter(typeof(TSnapshot), "s");
        return Expression.Lambda<Func<TSnapshot, T>>(Expression.Property(snapshot, name), snapshot);
    }

    private static Expression<Func<TSnapshot, bool>> Compare<T>(string name, ExpressionType comparison, T value)
    {
        var snapshot = Expression.Parameter(typeof(TSnapshot), "s");
        return Expression.Lambda<Func<TSnapshot, bool>>(
            Expression.MakeBinary(comparison, Expression.Property(snapshot, name), Expression.Constant(value, typeof(T))), snapshot);
    }
}

/// <summary>
/// Which events a fold reads: every event up to <paramref name="Snapshot"/> (through the snapshot it starts from), and
/// after it only those committed at or before <paramref name="Until"/>, if given (time travel).
/// </summary>
public readonly record struct FoldCut(long Snapshot, Instant? Until)
{
    public static readonly FoldCut Everything = new(0, null);
}
