using System.Linq.Expressions;
using EmergencyCommand.Domain.Shared;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Platform;

/// <summary>What single reads and lists show of streams: now, or rebuilt from their events as of an instant.</summary>
public static class StreamReads
{
    /// <summary>
    /// A stream's state rebuilt from its events, now or as of <c>?asOf=</c>, with the version it had then; 404 if it did
    /// not exist, or lies outside what the reader may see.
    /// </summary>
    /// <param name="visibleFrom">Whether the reader may see a stream of that jurisdiction (default: it lies within what they see).</param>
    public static async Task<(T State, long Version)> Replay<T>(IQuerySession session, Reader reader, Guid id, string? asOf,
        Func<IEnumerable<object>, T?> replay, string what, CancellationToken ct, Func<string, bool>? visibleFrom = null)
        where T : class, IJurisdictional
    {
        var at = QueryValues.AsOf(asOf);
        var events = await session.Events.FetchStreamAsync(id, timestamp: at?.ToDateTimeOffset(), token: ct);
        var missing = at is null ? $"{what} {id}" : $"{what} {id} at {at}";
        var state = replay(events.Select(e => e.Data)) ?? throw ProblemException.NotFound(missing);
        return (visibleFrom ?? reader.Sees)(state.Jurisdiction) ? (state, events[^1].Version) : throw ProblemException.NotFound(missing);
    }

    /// <summary>
    /// What a list shows, with each stream's version: the <paramref name="current"/> states as they are now, or, as of
    /// <paramref name="at"/>, each one rebuilt from its events up to then (in one read), leaving out those that did not
    /// exist yet. Streams are never deleted here, so the current ones are every candidate.
    /// </summary>
    public static async Task<IReadOnlyList<(T State, long Version)>> List<T>(IQuerySession session, IReadOnlyList<T> current,
        Func<T, Guid> idOf, Instant? at, Func<IEnumerable<object>, T?> replay, CancellationToken ct) where T : class
    {
        var ids = current.Select(idOf).ToArray();
        if (ids.Length == 0) return [];
        if (at is null)
        {
            var versions = await EventLog.Versions(session, ids, ct);
            return current.Select(s => (s, versions.GetValueOrDefault(idOf(s)))).ToList();
        }
        var byStream = (await EventLog.OfStreams(session, ids, at.Value, ct)).GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => g.ToList());
        return ids.Where(byStream.ContainsKey)
            .Select(id => (State: replay(byStream[id].Select(e => e.Data)), Version: byStream[id][^1].Version))
            .Where(x => x.State is not null).Select(x => (x.State!, x.Version)).ToList();
    }

    /// <summary>The most streams a list as of an instant replays to find which matched then.</summary>
    public const int MostReplayedAsOf = 20_000;

    /// <summary>
    /// A list filtered by what its streams were at an instant (a status then): every candidate, in the order given,
    /// rebuilt as of <paramref name="at"/> a batch at a time and kept when it <paramref name="matched"/>; the page of those
    /// (each as it is now and as it was then, with its version then), and how many matched. The candidates' ids are read
    /// once, so a stream added meanwhile cannot shift a batch. More than <see cref="MostReplayedAsOf"/> candidates are
    /// refused (a 400 naming <c>asOf</c>), never cut to the newest.
    /// </summary>
    public static async Task<(IReadOnlyList<(T Now, T Then, long Version)> Page, int Total)> MatchingThen<T>(IQuerySession session,
        IQueryable<T> candidates, Expression<Func<T, Guid>> id, Instant at, Func<IEnumerable<object>, T?> replay, Func<T, bool> matched, Paging page,
        string what, CancellationToken ct) where T : class
    {
        var ids = await candidates.Select(id).Take(MostReplayedAsOf + 1).ToListAsync(ct);
        if (ids.Count > MostReplayedAsOf)
            throw ProblemException.Invalid("asOf", $"more than {MostReplayedAsOf:N0} {what} are to be rebuilt as of then within this area, more than " +
                "a list filtered by their state then rebuilds: narrow the area (jurisdiction) or list them without the filter");
        var idOf = id.Compile();
        var found = new List<(T Now, T Then, long Version)>();
        var total = 0;
        foreach (var chunk in ids.Chunk(1000))
        {
            var now = (await session.LoadManyAsync<T>(ct, chunk)).ToDictionary(idOf);
            var batch = chunk.Where(now.ContainsKey).Select(i => now[i]).ToList();
            foreach (var then in await List(session, batch, idOf, at, replay, ct))
            {
                if (!matched(then.State)) continue;
                if (total >= page.Skip && found.Count < page.Take) found.Add((now[idOf(then.State)], then.State, then.Version));
                total++;
            }
        }
        return (found, total);
    }
}
