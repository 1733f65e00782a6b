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
public sealed class SnapshotFold<TSnapshot, TState>(TState empty, Func<TState, IEvent, TState> evolve) where TSnapshot : class, ISnapshot<TState>
{
    public TState Empty => empty;

    public TState Fold(TState state, IEnumerable<IEvent> events) => events.Aggregate(state, evolve);

    /// <summary>The state once every event up to and including <paramref name="sequence"/> is folded in.</summary>
    public Task<TState> Through(IQuerySession session, long sequence, CancellationToken ct) => Before(session, sequence + 1, ct);

    /// <summary>The state as it stood just before the event with <paramref name="sequence"/> was committed.</summary>
    public async Task<TState> Before(IQuerySession session, long sequence, CancellationToken ct)
    {
        var snapshot = await session.Query<TSnapshot>().Where(Compare(nameof(ISnapshot<TState>.Id), ExpressionType.LessThan, sequence))
            .OrderByDescending(Member<long>(nameof(ISnapshot<TState>.Id))).FirstOrDefaultAsync(ct);
        return await Fold(snapshot, EventLog.Stream(session, snapshot?.Id ?? 0, sequence - 1, null, ct));
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
        return await Fold(snapshot, EventLog.Stream(session, snapshot?.Id ?? 0, through, at, ct));
    }

    private async Task<TState> Fold(TSnapshot? from, IAsyncEnumerable<IEvent> events)
    {
        var state = from is null ? empty : from.State;
        await foreach (var e in events) state = evolve(state, e);
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
