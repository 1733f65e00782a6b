using EmergencyCommand.Domain.Situation;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Situation;

/// <summary>
/// Rebuilds the situation from the event log, exactly, up to an instant or a sequence number.
/// Reads run on their own query session and never touch the write path.
/// </summary>
public sealed class SituationReader(IDocumentStore store)
{
    public async Task<SituationState> AsOf(Instant? at, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var query = session.Events.QueryAllRawEvents();
        if (at is { } instant)
        {
            var cutoff = instant.ToDateTimeOffset();
            query = (Marten.Linq.IMartenQueryable<JasperFx.Events.IEvent>)query.Where(e => e.Timestamp <= cutoff);
        }
        return await Fold(query, ct);
    }

    /// <summary>The situation as it stood just before the event with <paramref name="sequence"/> was committed.</summary>
    public async Task<SituationState> Before(long sequence, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await Fold(session.Events.QueryAllRawEvents().Where(e => e.Sequence < sequence), ct);
    }

    private static async Task<SituationState> Fold(IQueryable<JasperFx.Events.IEvent> events, CancellationToken ct)
    {
        var state = SituationState.Empty;
        await foreach (var e in events.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct))
            state = state.Evolve(e.StreamId, e.Sequence, e.Data);
        return state;
    }
}
