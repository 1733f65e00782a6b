using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using NodaTime;
using Npgsql;

namespace EmergencyCommand.Server.Platform;

/// <summary>One row of the event log exactly as PostgreSQL holds it (what the audit chain hashes and exports).</summary>
public sealed record RawEvent(
    long Sequence, Guid Id, Guid StreamId, long Version, string Type, string? DotnetType, DateTimeOffset Timestamp,
    string? CorrelationId, string? CausationId, string? UserName, string? Headers, string Data);

/// <summary>An event of the replay: in commit order, its data as stored.</summary>
public sealed record ReplayEntry(long Sequence, Instant At, string Type, Guid StreamId, long Version, string? Actor, JsonNode? Data, string? Jurisdiction);

/// <summary>
/// Reads across the whole event log: the one place that does, with Marten's API where it has one and SQL on Marten's
/// tables where it has none (stream versions in bulk, rows byte for byte, the replay filtered by a header).
/// </summary>
public static class EventLog
{
    /// <summary>The events after <paramref name="after"/> up to and including <paramref name="through"/>, in commit order.</summary>
    public static async Task<IReadOnlyList<IEvent>> Between(IQuerySession session, long after, long through, CancellationToken ct) =>
        await session.Events.QueryAllRawEvents().Where(e => e.Sequence > after && e.Sequence <= through).OrderBy(e => e.Sequence).ToListAsync(ct);

    /// <summary>
    /// The events after <paramref name="after"/>, in commit order, committed at or before <paramref name="until"/> (if given)
    /// and at or before sequence <paramref name="through"/> (if given), streamed.
    /// </summary>
    public static IAsyncEnumerable<IEvent> Stream(IQuerySession session, long after, long? through, Instant? until, CancellationToken ct)
    {
        IQueryable<IEvent> query = session.Events.QueryAllRawEvents().Where(e => e.Sequence > after);
        if (through is { } last) query = query.Where(e => e.Sequence <= last);
        if (until is { } at)
        {
            var cutoff = at.ToDateTimeOffset();
            query = query.Where(e => e.Timestamp <= cutoff);
        }
        return query.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct);
    }

    /// <summary>Every event of these streams committed at or before <paramref name="until"/>, in commit order.</summary>
    public static async Task<IReadOnlyList<IEvent>> OfStreams(IQuerySession session, IReadOnlyCollection<Guid> streams, Instant until,
        CancellationToken ct)
    {
        var ids = streams.ToArray();
        var cutoff = until.ToDateTimeOffset();
        return await session.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId) && e.Timestamp <= cutoff)
            .OrderBy(e => e.Sequence).ToListAsync(ct);
    }

    /// <summary>Up to <paramref name="limit"/> events committed within the window, in commit order.</summary>
    public static async Task<IReadOnlyList<IEvent>> Within(IQuerySession session, TimeWindow window, int limit, CancellationToken ct) =>
        await window.Filter(session.Events.QueryAllRawEvents(), e => e.Timestamp).OrderBy(e => e.Sequence).Take(limit).ToListAsync(ct);

    public static async Task<bool> IsEmpty(IQuerySession session, CancellationToken ct) => !await session.Events.QueryAllRawEvents().AnyAsync(ct);

    /// <summary>The current version of each of these streams (the ones that exist).</summary>
    public static async Task<IReadOnlyDictionary<Guid, long>> Versions(IQuerySession session, IReadOnlyCollection<Guid> streams, CancellationToken ct)
    {
        if (streams.Count == 0) return new Dictionary<Guid, long>();
        var rows = await session.QueryAsync<StreamVersion>(
            $"select json_build_object('id', id, 'version', version) from {EventStore.Schema}.mt_streams where id = ANY(?)", ct, streams.ToArray());
        return rows.ToDictionary(r => r.Id, r => r.Version);
    }

    private sealed record StreamVersion(Guid Id, long Version);

    /// <summary>
    /// The sequence up to which every event is committed, as the async daemon (here or in another process) last saw it.
    /// Past it, an event with a lower sequence may still be committing.
    /// </summary>
    public static async Task<long> HighWaterMark(IDocumentStore store, CancellationToken ct) =>
        (await store.Advanced.AllProjectionProgress(token: ct)).FirstOrDefault(p => p.ShardName == ShardState.HighWaterMark)?.Sequence ?? 0;

    /// <summary>The last sequence handed out (without a daemon nobody keeps the high-water mark).</summary>
    public static async Task<long> LastSequence(IDocumentStore store, CancellationToken ct) =>
        (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;

    private const string RawColumns =
        "seq_id, id, stream_id, version, type, mt_dotnet_type, timestamp, correlation_id, causation_id, user_name, headers::text, data::text";

    /// <summary>Rows from <paramref name="fromSequence"/> through <paramref name="toSequence"/>, exactly as stored, in commit order.</summary>
    public static async IAsyncEnumerable<RawEvent> Rows(NpgsqlDataSource db, long fromSequence, long? toSequence,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select {RawColumns} from {EventStore.Schema}.mt_events where seq_id >= $1 and seq_id <= $2 order by seq_id");
        command.Parameters.Add(new NpgsqlParameter { Value = fromSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = toSequence ?? long.MaxValue });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return Raw(reader);
    }

    /// <summary>The rows with these sequences, exactly as stored, in commit order.</summary>
    public static async Task<List<RawEvent>> Rows(NpgsqlDataSource db, IReadOnlyCollection<long> sequences, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select {RawColumns} from {EventStore.Schema}.mt_events where seq_id = any($1) order by seq_id");
        command.Parameters.Add(new NpgsqlParameter { Value = sequences.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<RawEvent>();
        while (await reader.ReadAsync(ct)) rows.Add(Raw(reader));
        return rows;
    }

    private static RawEvent Raw(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetGuid(1), r.IsDBNull(2) ? Guid.Empty : r.GetGuid(2), r.GetInt64(3), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10),
        r.GetString(11));

    /// <summary>
    /// A page of the log in commit order from <paramref name="fromSequence"/>, of the events whose command acted within
    /// <paramref name="scope"/> (the <c>jurisdiction</c> header; an event without one is outside every scope but the nation).
    /// </summary>
    public static async Task<IReadOnlyList<ReplayEntry>> Page(NpgsqlDataSource db, long fromSequence, int limit, Scope scope, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select seq_id, timestamp, mt_dotnet_type, type, stream_id, version, user_name, data::text, headers->>'jurisdiction' from {EventStore.Schema}.mt_events " +
            "where seq_id >= $1 and ($2::text[] is null or headers->>'jurisdiction' like any($2)) order by seq_id limit $3");
        command.Parameters.Add(new NpgsqlParameter { Value = fromSequence });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = scope.IsEverything ? DBNull.Value : scope.LikePatterns,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<ReplayEntry>();
        while (await reader.ReadAsync(ct))
        {
            var type = Modules.TypeName(reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3));
            entries.Add(new ReplayEntry(reader.GetInt64(0), Instant.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(1)), type,
                reader.IsDBNull(4) ? Guid.Empty : reader.GetGuid(4), reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                JsonNode.Parse(reader.GetString(7)), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return entries;
    }
}
