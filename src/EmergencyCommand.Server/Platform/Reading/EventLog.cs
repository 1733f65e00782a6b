using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Linq.MatchesSql;
using NodaTime;
using Npgsql;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// One row of the event log exactly as PostgreSQL holds it, every column of <c>mt_events</c>, with the columns of its
/// stream's <c>mt_streams</c> row that never change once the stream exists (what the audit chain hashes and exports).
/// </summary>
public sealed record RawEvent(
    long Sequence, Guid Id, Guid StreamId, long Version, string Type, string? DotnetType, DateTimeOffset Timestamp,
    string? CorrelationId, string? CausationId, string? UserName, string? Headers, string Data)
{
    /// <summary><c>bdata</c> (binary event data), hexadecimal; null when absent (this store writes JSON only).</summary>
    public string? BinaryData { get; init; }
    public string? TenantId { get; init; }
    public bool? IsArchived { get; init; }

    /// <summary>The stream row, or null when the event's stream row is missing.</summary>
    public RawStream? Stream { get; init; }
}

/// <summary>What a stream row holds that no append changes: its id, aggregate type, creation time and tenant.</summary>
public sealed record RawStream(Guid Id, string? Type, DateTimeOffset Created, string? TenantId);

/// <summary>A stream row whose changing columns disagree with the events in the log (what an append would have written).</summary>
public sealed record StreamDrift(Guid StreamId, long? FirstSequence, long? LastSequence, string Column);

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
    /// and at or before sequence <paramref name="through"/> (if given), in batches of up to <paramref name="size"/>, each
    /// read when the one before has been used (so the session is free in between).
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<IEvent>> Batches(IQuerySession session, long after, long? through, Instant? until, int size,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var cursor = after;
        while (true)
        {
            var from = cursor;
            IQueryable<IEvent> query = session.Events.QueryAllRawEvents().Where(e => e.Sequence > from);
            if (through is { } last) query = query.Where(e => e.Sequence <= last);
            if (until is { } at)
            {
                var cutoff = at.ToDateTimeOffset();
                query = query.Where(e => e.Timestamp <= cutoff);
            }
            var batch = await query.OrderBy(e => e.Sequence).Take(size).ToListAsync(ct);
            if (batch.Count > 0) yield return batch;
            if (batch.Count < size) yield break;
            cursor = batch[^1].Sequence;
        }
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

    /// <summary>
    /// Every event of these streams before sequence <paramref name="before"/> that a fold cut as <paramref name="cut"/>
    /// reads, in commit order.
    /// </summary>
    public static async Task<IReadOnlyList<IEvent>> OfStreamsBefore(IQuerySession session, IReadOnlyCollection<Guid> streams, long before,
        FoldCut cut, CancellationToken ct)
    {
        var ids = streams.ToArray();
        var query = session.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId) && e.Sequence < before);
        if (cut.Until is { } until)
        {
            var (snapshot, cutoff) = (cut.Snapshot, until.ToDateTimeOffset());
            query = query.Where(e => e.Sequence <= snapshot || e.Timestamp <= cutoff);
        }
        return await query.OrderBy(e => e.Sequence).ToListAsync(ct);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events of the window, in commit order, whose command acted within
    /// <paramref name="scope"/> (the <c>jurisdiction</c> header; an event without one is within no scope), leaving out the
    /// event types stored as <paramref name="leavingOut"/>.
    /// </summary>
    public static async Task<IReadOnlyList<IEvent>> Within(IQuerySession session, TimeWindow window, Scope scope, int limit,
        IReadOnlyCollection<string> leavingOut, CancellationToken ct) =>
        await window.Filter(session.Events.QueryAllRawEvents(), e => e.Timestamp)
            .Where(e => e.MatchesSql($"headers ->> '{EventHeaders.Jurisdiction}' like any(?)", (object)scope.LikePatterns))
            .Where(e => e.MatchesSql("not (type = any(?))", (object)leavingOut.ToArray()))
            .OrderBy(e => e.Sequence).Take(limit).ToListAsync(ct);

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

    /// <summary>How far the async daemon has taken one projection (0 before it ever ran).</summary>
    public static async Task<long> Progress(IDocumentStore store, string projection, CancellationToken ct) =>
        (await store.Advanced.AllProjectionProgress(token: ct)).Where(p => p.ShardName.StartsWith(projection + ":", StringComparison.Ordinal))
        .Select(p => p.Sequence).DefaultIfEmpty(0).Max();

    /// <summary>The last sequence handed out (without a daemon nobody keeps the high-water mark).</summary>
    public static async Task<long> LastSequence(IDocumentStore store, CancellationToken ct) =>
        (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;

    // Every column of mt_events (a test compares this list with the table), and the stream row's fixed columns.
    private const string RawColumns =
        "e.seq_id, e.id, e.stream_id, e.version, e.type, e.mt_dotnet_type, e.timestamp, e.correlation_id, e.causation_id, e.user_name, " +
        "e.headers::text, e.data::text, encode(e.bdata, 'hex'), e.tenant_id, e.is_archived, s.id, s.type, s.created, s.tenant_id";

    private static string RawFrom => $"{EventStore.Schema}.mt_events e left join {EventStore.Schema}.mt_streams s on s.id = e.stream_id";

    /// <summary>The columns of <c>mt_events</c> read into <see cref="RawEvent"/>: a test holds this list to the table's.</summary>
    public static readonly IReadOnlyList<string> EventColumns =
        ["seq_id", "id", "stream_id", "version", "type", "mt_dotnet_type", "timestamp", "correlation_id", "causation_id", "user_name", "headers",
            "data", "bdata", "tenant_id", "is_archived"];

    /// <summary>The columns of a table in the event store's schema, as PostgreSQL lists them.</summary>
    public static async Task<IReadOnlyList<string>> ColumnsOf(NpgsqlDataSource db, string table, CancellationToken ct)
    {
        await using var command = db.CreateCommand("select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position");
        command.Parameters.Add(new NpgsqlParameter { Value = EventStore.Schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new List<string>();
        while (await reader.ReadAsync(ct)) columns.Add(reader.GetString(0));
        return columns;
    }

    /// <summary>
    /// Stream rows whose changing columns disagree with the stream's events: <c>version</c> is the last event's version,
    /// <c>is_archived</c> that of its events, <c>compacted_version</c> 0 (this store never compacts); a stream row without
    /// events, or an event without a stream row. Up to <paramref name="limit"/>. The row's <c>timestamp</c> is the server's
    /// clock at the last append while each event's comes from the appending client: nothing ties them, so it is not checked.
    /// </summary>
    public static async Task<IReadOnlyList<StreamDrift>> StreamDrifts(NpgsqlDataSource db, int limit, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            with events as (
                select stream_id, min(seq_id) as first_seq, max(seq_id) as last_seq, max(version) as version,
                       bool_or(coalesce(is_archived, false)) as any_archived, bool_and(coalesce(is_archived, false)) as all_archived
                from {EventStore.Schema}.mt_events group by stream_id)
            select coalesce(s.id, e.stream_id), e.first_seq, e.last_seq,
                   case when s.id is null then 'stream row missing'
                        when e.stream_id is null then 'stream without events'
                        when s.version is distinct from e.version then 'version'
                        when coalesce(s.is_archived, false) <> e.all_archived or e.any_archived <> e.all_archived then 'is_archived'
                        when s.compacted_version <> 0 then 'compacted_version'
                   end as drift
            from {EventStore.Schema}.mt_streams s full join events e on e.stream_id = s.id
            where s.id is null or e.stream_id is null or s.version is distinct from e.version
               or coalesce(s.is_archived, false) <> e.all_archived or e.any_archived <> e.all_archived
               or s.compacted_version <> 0
            order by e.first_seq nulls first limit $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var drifts = new List<StreamDrift>();
        while (await reader.ReadAsync(ct))
            drifts.Add(new StreamDrift(reader.IsDBNull(0) ? Guid.Empty : reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetString(3)));
        return drifts;
    }

    /// <summary>Rows from <paramref name="fromSequence"/> through <paramref name="toSequence"/>, exactly as stored, in commit order.</summary>
    public static async IAsyncEnumerable<RawEvent> Rows(NpgsqlDataSource db, long fromSequence, long? toSequence,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select {RawColumns} from {RawFrom} where e.seq_id >= $1 and e.seq_id <= $2 order by e.seq_id");
        command.Parameters.Add(new NpgsqlParameter { Value = fromSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = toSequence ?? long.MaxValue });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return Raw(reader);
    }

    /// <summary>The rows with these sequences, exactly as stored, in commit order.</summary>
    public static async Task<List<RawEvent>> Rows(NpgsqlDataSource db, IReadOnlyCollection<long> sequences, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select {RawColumns} from {RawFrom} where e.seq_id = any($1) order by e.seq_id");
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
        r.GetString(11))
    {
        BinaryData = r.IsDBNull(12) ? null : r.GetString(12),
        TenantId = r.IsDBNull(13) ? null : r.GetString(13),
        IsArchived = r.IsDBNull(14) ? null : r.GetBoolean(14),
        Stream = r.IsDBNull(15) ? null : new RawStream(r.GetGuid(15), r.IsDBNull(16) ? null : r.GetString(16), r.GetFieldValue<DateTimeOffset>(17),
            r.IsDBNull(18) ? null : r.GetString(18)),
    };

    /// <summary>
    /// A page of the log in commit order from <paramref name="fromSequence"/>, of the events whose command acted within
    /// <paramref name="scope"/> (the <c>jurisdiction</c> header; an event without one is outside every scope but the nation),
    /// leaving out the event types stored as <paramref name="leavingOut"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ReplayEntry>> Page(NpgsqlDataSource db, long fromSequence, int limit, Scope scope,
        IReadOnlyCollection<string> leavingOut, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select seq_id, timestamp, mt_dotnet_type, type, stream_id, version, user_name, data::text, headers->>'jurisdiction' from {EventStore.Schema}.mt_events " +
            "where seq_id >= $1 and ($2::text[] is null or headers->>'jurisdiction' like any($2)) and not (type = any($4)) order by seq_id limit $3");
        command.Parameters.Add(new NpgsqlParameter { Value = fromSequence });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = scope.IsEverything ? DBNull.Value : scope.LikePatterns,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = leavingOut.ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
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
