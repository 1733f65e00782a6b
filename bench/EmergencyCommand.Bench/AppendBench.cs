using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace EmergencyCommand.Bench;

/// <summary>
/// Figure 1, the append ceiling: events per second through Marten the way the product appends (single-event commits,
/// 100-event commits on one stream) next to raw Npgsql INSERTs of rows of the same size into a plain table.
/// No server runs; the bench process writes straight to its own database.
/// </summary>
public sealed class AppendBench(string connection, Settings settings, Report report)
{
    private const int Batch = 100;

    public async Task Run()
    {
        var details = new JsonObject();
        report.Details["append"] = details;

        await using var bare = ProductStore.Create(connection, inlineProjections: false);
        await using var product = ProductStore.Create(connection, inlineProjections: true);
        await using var notifying = ProductStore.Create(connection, inlineProjections: false, notify: true);
        await product.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await bare.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(connection);
        await Raw.CreateTable(db);

        var serializer = product.Options.Serializer();
        var sample = Events.Reported(Guid.NewGuid(), SystemClock.Instance.GetCurrentInstant());
        var rowJson = serializer.ToJson(sample);
        var sitrepJson = serializer.ToJson(Events.Sitrep(Guid.NewGuid(), SystemClock.Instance.GetCurrentInstant(), 1));
        var headers = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [EventHeaders.Roles] = BenchActor.Reporter.Roles, [EventHeaders.Jurisdictions] = BenchActor.Reporter.Jurisdictions,
            [EventHeaders.Decision] = Guid.CreateVersion7().ToString(), [EventHeaders.Jurisdiction] = "420102",
        });
        details["rowBytes"] = new JsonObject { ["incidentReported"] = rowJson.Length, ["sitrepFiled"] = sitrepJson.Length, ["headers"] = headers.Length };

        var shapes = new (string Id, string Label, int Writers, bool Batched)[]
        {
            ("single.w1", "single-event commits, 1 writer", 1, false),
            ("single.w8", "single-event commits, 8 writers", 8, false),
            ("batch100.w1", "100-event commits on one stream, 1 writer", 1, true),
        };
        foreach (var (id, label, writers, batched) in shapes)
        {
            var variants = new List<(string Name, Func<int, Task<int>> Op)>
            {
                ("raw", batched ? _ => Raw.BatchOfInserts(db, Guid.NewGuid(), sitrepJson, headers, Batch) : _ => Raw.SingleInsert(db, rowJson, headers)),
                ("marten", batched ? BareBatch(bare) : _ => BareSingle(bare)),
                ("product", batched ? ProductBatch(product) : _ => ProductSingle(product)),
            };
            // What Marten's NOTIFY on every commit (UseListenNotifyForEventAppends, which the product gave up) costs a single-event commit.
            if (!batched) variants.Add(("notify", _ => BareSingle(notifying)));

            // Rounds in rotating order, so that no variant always runs first or last on a noisy machine; medians per variant.
            var rates = variants.ToDictionary(v => v.Name, _ => new List<double>());
            for (var round = 0; round < settings.AppendRounds; round++)
                for (var i = 0; i < variants.Count; i++)
                {
                    var (name, op) = variants[(i + round) % variants.Count];
                    rates[name].Add(await Measure(writers, op));
                }
            var rawRate = Stats.Median(rates["raw"]);
            var bareRate = Stats.Median(rates["marten"]);
            var productRate = Stats.Median(rates["product"]);
            var notifyRate = batched ? double.NaN : Stats.Median(rates["notify"]);

            details[id] = new JsonObject
            {
                ["label"] = label, ["writers"] = writers, ["rawEventsPerSecond"] = Math.Round(rawRate), ["martenEventsPerSecond"] = Math.Round(bareRate),
                ["productEventsPerSecond"] = Math.Round(productRate), ["productOverRaw"] = Math.Round(productRate / rawRate, 3),
                ["martenOverRaw"] = Math.Round(bareRate / rawRate, 3),
                ["martenWithNotifyEventsPerSecond"] = batched ? null : Math.Round(notifyRate),
                ["rounds"] = new JsonObject(rates.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)new JsonArray(r.Value.Select(v => (JsonNode?)Math.Round(v)).ToArray())))),
            };
            report.Add(new Figure($"append.{id}.raw", $"Raw Npgsql INSERT, {label}", rawRate, "events/s",
                batched ? "NpgsqlBatch of 100 INSERTs in one transaction, plain table (PK only)" : "one INSERT per transaction (autocommit), plain table (PK only)"));
            report.Add(new Figure($"append.{id}.marten", $"Marten events only, {label}", bareRate, "events/s",
                $"product's store options and metadata, no projections; {bareRate / rawRate:0.00}× raw"));
            var ratio = productRate / rawRate;
            if (!batched)
                report.Add(new Figure($"append.{id}.marten-notify", $"Marten events only with NOTIFY on every commit, {label}", notifyRate, "events/s",
                    $"as above plus UseListenNotifyForEventAppends (the daemon wake-up the product gave up); {notifyRate / rawRate:0.00}× raw, {bareRate / notifyRate:0.00}× faster without it"));
            report.Add(new Figure($"append.{id}.product", $"Product append, {label}", productRate, "events/s",
                batched ? "FetchForExclusiveWriting + AppendMany(100 SitrepFiled) + inline projections" : "StartStream(IncidentReported) + inline projections, like POST /api/incidents"));
            report.Add(new Figure($"append.{id}.ratio", $"Product / raw, {label}", ratio, "×", $"{productRate:0} / {rawRate:0} events/s",
                "≥ 0.5", ratio >= 0.5));
        }
    }

    /// <summary>Runs <paramref name="op"/> (which returns the events it wrote) on N writers for the configured time; events/s.</summary>
    private async Task<double> Measure(int writers, Func<int, Task<int>> op)
    {
        // Warm up (JIT, connection pool, plans), not counted.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < settings.AppendWarmup) await op(0);

        long events = 0;
        var clock = Stopwatch.StartNew();
        var until = settings.AppendDuration;
        var cap = settings.AppendMaxEvents;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            while (clock.Elapsed < until && Interlocked.Read(ref events) < cap)
                Interlocked.Add(ref events, await op(w));
        }));
        return events / clock.Elapsed.TotalSeconds;
    }

    private static async Task<int> BareSingle(DocumentStore store)
    {
        await using var session = store.LightweightSession();
        ProductStore.StampAs(session, BenchActor.Reporter, "420102");
        var id = Guid.CreateVersion7();
        session.Events.StartStream<Incident>(id, Events.Reported(id, SystemClock.Instance.GetCurrentInstant()));
        await session.SaveChangesAsync();
        return 1;
    }

    private static Task<int> ProductSingle(DocumentStore store) => BareSingle(store);

    private static Func<int, Task<int>> BareBatch(DocumentStore store)
    {
        var streams = new Guid?[16];
        return async w =>
        {
            var id = streams[w] ??= await NewIncident(store);
            await using var session = store.LightweightSession();
            ProductStore.StampAs(session, BenchActor.Reporter, "420102");
            var now = SystemClock.Instance.GetCurrentInstant();
            session.Events.Append(id, Enumerable.Range(0, Batch).Select(i => (object)Events.Sitrep(id, now, i)).ToArray());
            await session.SaveChangesAsync();
            return Batch;
        };
    }

    private static Func<int, Task<int>> ProductBatch(DocumentStore store)
    {
        var streams = new Guid?[16];
        return async w =>
        {
            var id = streams[w] ??= await NewIncident(store);
            await using var session = store.LightweightSession();
            ProductStore.StampAs(session, BenchActor.Reporter, "420102");
            // As EventStreams.Write does: lock and load the stream, then append the decision's events.
            var stream = await session.Events.FetchForExclusiveWriting<Incident>(id);
            var now = SystemClock.Instance.GetCurrentInstant();
            stream.AppendMany(Enumerable.Range(0, Batch).Select(i => (object)Events.Sitrep(id, now, i)).ToArray());
            await session.SaveChangesAsync();
            return Batch;
        };
    }

    private static async Task<Guid> NewIncident(DocumentStore store)
    {
        var id = Guid.CreateVersion7();
        await using var session = store.LightweightSession();
        ProductStore.StampAs(session, BenchActor.Reporter, "420102");
        session.Events.StartStream<Incident>(id, Events.Reported(id, SystemClock.Instance.GetCurrentInstant()));
        await session.SaveChangesAsync();
        return id;
    }

    /// <summary>The physical limit: a plain table with mt_events' columns and only a primary key.</summary>
    private static class Raw
    {
        private const string Insert =
            "insert into emergency.bench_raw (id, stream_id, version, data, type, mt_dotnet_type, correlation_id, headers, user_name) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

        public static async Task CreateTable(NpgsqlDataSource db)
        {
            await using var cmd = db.CreateCommand("""
                create schema if not exists emergency;
                drop table if exists emergency.bench_raw;
                create table emergency.bench_raw (
                  seq_id bigserial primary key, id uuid not null, stream_id uuid not null, version bigint not null,
                  data jsonb not null, type varchar(500) not null, timestamp timestamptz not null default now(),
                  tenant_id varchar not null default '*DEFAULT*', mt_dotnet_type varchar, correlation_id varchar,
                  causation_id varchar, headers jsonb, user_name varchar, is_archived bool not null default false)
                """);
            await cmd.ExecuteNonQueryAsync();
        }

        private static void Bind(NpgsqlParameterCollection p, Guid stream, long version, string json, string headers)
        {
            p.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            p.Add(new NpgsqlParameter { Value = stream });
            p.Add(new NpgsqlParameter { Value = version });
            p.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
            p.Add(new NpgsqlParameter { Value = "incident_reported" });
            p.Add(new NpgsqlParameter { Value = "EmergencyCommand.Domain.Incidents.IncidentReported, EmergencyCommand.Domain" });
            p.Add(new NpgsqlParameter { Value = "bench-0123456789abcdef" });
            p.Add(new NpgsqlParameter { Value = headers, NpgsqlDbType = NpgsqlDbType.Jsonb });
            p.Add(new NpgsqlParameter { Value = "reporter" });
        }

        public static async Task<int> SingleInsert(NpgsqlDataSource db, string json, string headers)
        {
            await using var cmd = db.CreateCommand(Insert);
            Bind(cmd.Parameters, Guid.CreateVersion7(), 1, json, headers);
            await cmd.ExecuteNonQueryAsync();
            return 1;
        }

        public static async Task<int> BatchOfInserts(NpgsqlDataSource db, Guid stream, string json, string headers, int count)
        {
            await using var conn = await db.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(conn, tx);
            for (var i = 0; i < count; i++)
            {
                var cmd = new NpgsqlBatchCommand(Insert);
                Bind(cmd.Parameters, stream, i + 1, json, headers);
                batch.BatchCommands.Add(cmd);
            }
            await batch.ExecuteNonQueryAsync();
            await tx.CommitAsync();
            return count;
        }
    }
}
