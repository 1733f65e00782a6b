using EmergencyCommand.Server.Tests.Infrastructure;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>
/// The product's own rebuild command (<c>projections rebuild</c>) gives back, from the log alone, every document the
/// commands and the daemon made: each projection is fed only the facts it names, and none it needs is left out.
/// </summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class ProjectionRebuildTests
{
    [Fact]
    public async Task Rebuilding_every_projection_over_the_seeded_demo_gives_back_the_same_documents()
    {
        await using var server = await ServerProcess.StartOnFreshDatabase(new Dictionary<string, string> { ["Demo__Seed"] = "true" });
        await using var db = NpgsqlDataSource.Create(server.ConnectionString);
        await Conditions.Eventually(() => Task.FromResult(server.LinesMentioning("Demo scenario seeded") > 0), 180, () => server.Output);
        await TwoDeadlinesMissed(server);
        await Conditions.Eventually(async () => await Scalar(db, "select count(*) from emergency.mt_doc_escalation") >= 2, 180, () => server.Output);
        await Conditions.Eventually(async () => await Scalar(db, "select count(*) from emergency.mt_event_progression p where p.name like 'DecisionLog%' " +
                                                                 "and p.last_seq_id >= (select max(seq_id) from emergency.mt_events)") == 1, 180, () => server.Output);
        server.Kill();

        var before = await Documents(db);
        before.Keys.Should().Contain(KeptByCommands).And.Contain(["mt_doc_incident", "mt_doc_depot", "mt_doc_supplyneed", "mt_doc_greenchannel", "mt_doc_passadmission", "mt_doc_decisionrecord"]);
        before.Where(t => t.Key is "mt_doc_incident" or "mt_doc_depot" or "mt_doc_passadmission" or "mt_doc_shipment" or "mt_doc_escalation")
            .Should().OnlyContain(t => !t.Value.StartsWith("0 "), "the demo makes each of them");

        // Marten clears before a rebuild only the documents it knows a projection writes; the test clears them all, so
        // that whatever the rebuild does not write again shows.
        foreach (var table in before.Keys.Except(KeptByCommands))
            await Scalar(db, $"with gone as (delete from emergency.{table} returning 1) select count(*) from gone");

        var (exitCode, printed) = await ServerProcess.Command(server.ConnectionString, TimeSpan.FromMinutes(5), "projections", "rebuild", "--shard-timeout", "5m");
        exitCode.Should().Be(0, printed);
        printed.Should().Contain("Finished rebuilding Incident").And.Contain("Finished rebuilding EscalationProjection");

        (await Documents(db)).Should().Equal(before);
    }

    /// <summary>The demo's deadlines are hours away: a task and a supply request due in a few seconds, left to pass.</summary>
    private static async Task TwoDeadlinesMissed(ServerProcess server)
    {
        using var wuhan = await server.As("wuhan");
        using var logistics = await server.As("logistics");
        await wuhan.TaskDueIn(TimeSpan.FromSeconds(5));
        await logistics.Post("/api/supply-requests", new
        {
            requester = "Jinyintan Hospital", jurisdiction = "420100", priority = "High",
            lines = new[] { new { item = "Oxygen concentrator", quantity = 5 } }, neededBy = DateTimeOffset.UtcNow.AddSeconds(5).ToString("O"),
        });
    }

    /// <summary>What commands store themselves, beside their events: no projection makes them.</summary>
    private static readonly string[] KeptByCommands = ["mt_doc_credential", "mt_doc_userpreferences", "mt_doc_refreshtoken", "mt_doc_idempotentrequest"];

    /// <summary>
    /// Each document table's row count and an order-independent sum of its rows' hashes. Left out: the audit chain's
    /// links and blocks and the situation snapshots, whose boundaries follow the daemon's pages (their contents have
    /// tests of their own).
    /// </summary>
    private static async Task<Dictionary<string, string>> Documents(NpgsqlDataSource db)
    {
        string[] paged = ["mt_doc_auditblock", "mt_doc_auditlink", "mt_doc_situationsnapshot"];
        var tables = new List<string>();
        await using (var list = db.CreateCommand("select table_name from information_schema.tables where table_schema = 'emergency' and table_name like 'mt_doc_%'"))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var documents = new Dictionary<string, string>();
        foreach (var table in tables.Except(paged))
        {
            await using var sum = db.CreateCommand($"select count(*) || ' ' || coalesce(sum(hashtextextended(id::text || data::text, 0)::numeric), 0) from emergency.{table}");
            documents[table] = (string)(await sum.ExecuteScalarAsync())!;
        }
        return documents;
    }

    private static async Task<long> Scalar(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
