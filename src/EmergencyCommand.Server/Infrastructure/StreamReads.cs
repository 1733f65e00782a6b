using Marten;

namespace EmergencyCommand.Server.Infrastructure;

public static class StreamReads
{
    /// <summary>A stream's state rebuilt from its events, now or as of <c>?asOf=</c>, with the version it had then; 404 if it did not exist.</summary>
    public static async Task<(T State, long Version)> Replay<T>(IQuerySession session, Guid id, string? asOf,
        Func<IEnumerable<object>, T?> replay, string what, CancellationToken ct) where T : class
    {
        var at = QueryValues.AsOf(asOf);
        var events = await session.Events.FetchStreamAsync(id, timestamp: at?.ToDateTimeOffset(), token: ct);
        var state = replay(events.Select(e => e.Data)) ?? throw ProblemException.NotFound(at is null ? $"{what} {id}" : $"{what} {id} at {at}");
        return (state, events[^1].Version);
    }
}
