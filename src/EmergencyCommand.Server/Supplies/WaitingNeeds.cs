using System.Collections.Concurrent;
using System.Text.Json;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Marten;
using Marten.Storage;
using Npgsql;
using NpgsqlTypes;

namespace EmergencyCommand.Server.Supplies;

/// <summary>
/// What the allocation plan weighs of an item, read before every allocation: the stock available over every depot
/// (summed by PostgreSQL) and the requests still waiting for it. Of the waiting requests it keeps the needs it last read,
/// and each read asks only for the ids of the needs waiting now, with the bodies of those whose row changed since: a
/// row is known by its document version and by <c>xmin</c>, the transaction that wrote that row version, which any
/// write changes (the projection's, the backfill's, a hand-made repair). So a read returns what the table holds at that
/// instant, on any number of servers (the one way to fool it: a row rewritten without a new version by a transaction
/// whose 32-bit id has wrapped round to the one that wrote the held copy). What it saves is turning every waiting
/// document into JSON text and back into objects for each allocation, which was most of the plan's cost
/// (docs/benchmarks.md, issue 16, tenth round).
/// </summary>
public sealed class WaitingNeeds(IDocumentStore store)
{
    // Marten's tables for the two documents (its naming: mt_doc_ and the type's name); a test holds these reads to
    // Marten's own LINQ over the same documents.
    private static readonly string Depots = $"{EventStore.Schema}.mt_doc_depot";
    private static readonly string Needs = $"{EventStore.Schema}.mt_doc_supplyneed";

    private sealed record Known(long Version, long Written, SupplyNeed Need);

    private static readonly IReadOnlyDictionary<Guid, Known> Nothing = new Dictionary<Guid, Known>();

    /// <summary>
    /// The needs last read per item; replaced whole by each read, so it holds only what was waiting then, and an item
    /// nothing waits for is not kept (anyone may ask the plan about any name).
    /// </summary>
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<Guid, Known>> _lastRead = new(StringComparer.Ordinal);

    /// <summary>Whether this server holds needs read for <paramref name="item"/> (for tests).</summary>
    internal bool Holds(string item) => _lastRead.ContainsKey(item);

    public async Task<(long Available, IReadOnlyList<SupplyNeed> Waiting)> Of(string item, CancellationToken ct)
    {
        var known = _lastRead.GetValueOrDefault(item) ?? Nothing;
        // From Marten's own pool, as the documents were read before.
        await using var connection = store.Storage.Database.CreateConnection(ConnectionUsage.Read);
        await connection.OpenAsync(ct);
        await using var batch = connection.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"select coalesce(sum((d.data -> 'stock' -> $1 ->> 'available')::bigint), 0)::bigint from {Depots} as d")
        {
            Parameters = { new NpgsqlParameter { Value = item } },
        });
        // What this server holds goes as one jsonb object, id → [version, xmin], looked up per row: a join with the
        // held ids would do, until PostgreSQL's generic plan for the prepared statement turned it into a nested loop
        // over both lists (5-6 ms at 200 needs; a lookup keeps one plan at any size).
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            select n.id, n.mt_version, n.xmin::text::bigint,
                   case when ($2 -> n.id::text) is distinct from jsonb_build_array(n.mt_version, n.xmin::text::bigint) then n.data end
            from {Needs} as n
            where n.is_waiting and n.data @> $1
            """)
        {
            Parameters =
            {
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(new { waitingFor = new[] { item } }) },
                new NpgsqlParameter
                {
                    NpgsqlDbType = NpgsqlDbType.Jsonb,
                    Value = JsonSerializer.Serialize(known.ToDictionary(k => k.Key.ToString(), k => new[] { k.Value.Version, k.Value.Written })),
                },
            },
        });
        // Prepared once per pooled connection (Npgsql keeps them across the pool's resets): PostgreSQL then no longer
        // parses and plans the two statements before every allocation (docs/benchmarks.md, issue 16, eleventh round).
        await batch.PrepareAsync(ct);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var available = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var serializer = store.Options.Serializer();
        var now = new Dictionary<Guid, Known>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            // No body: the row is the one this server already holds.
            now[id] = reader.IsDBNull(3) ? known[id] : new Known(reader.GetInt64(1), reader.GetInt64(2), serializer.FromJson<SupplyNeed>(reader, 3));
        }
        if (now.Count > 0) _lastRead[item] = now;
        else _lastRead.TryRemove(item, out _);
        return (available, now.Values.Select(k => k.Need).ToList());
    }
}
