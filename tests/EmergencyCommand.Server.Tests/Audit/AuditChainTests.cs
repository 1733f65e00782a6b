using System.Net;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Audit;
using EmergencyCommand.Server.Platform;
using EmergencyCommand.Server.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Audit;

/// <summary>Tampering straight in PostgreSQL, the way a rogue administrator would, and what verification says.</summary>
public sealed class AuditChainTests(AppFixture fixture) : ServerTest(fixture)
{
    private async Task<int> Sql(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<JsonNode> Verification()
    {
        await Settled();
        return (await Reviewer.Get("/api/audit/verification")).ShouldBe(HttpStatusCode.OK).Json;
    }

    private async Task<List<long>> SequencesOf(Guid incident) =>
        (await Reviewer.Get($"/api/incidents/{incident}/timeline")).Json.AsArray().Select(e => e!["sequence"]!.GetValue<long>()).ToList();

    [Fact]
    public async Task Edits_deletions_and_reorderings_are_found_at_the_exact_sequence_and_restoring_mends_the_chain()
    {
        var incident = await Verified("420111");
        (await Wuhan.Post($"/api/incidents/{incident}/grade", new { severity = "II", rationale = "spreading" })).ShouldBe(HttpStatusCode.OK);
        var sequences = await SequencesOf(incident);
        var (reported, verified, graded) = (sequences[0], sequences[1], sequences[2]);

        var clean = await Verification();
        clean["valid"]!.GetValue<bool>().Should().BeTrue(clean.ToJsonString());
        clean["eventsChecked"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(3);

        // Edit the data of one event.
        await Sql("update emergency.mt_events set data = jsonb_set(data, '{note}', '\"nothing to see\"') where seq_id = $1", verified);
        var edited = await Verification();
        edited["valid"]!.GetValue<bool>().Should().BeFalse();
        edited["firstBrokenSequence"]!.GetValue<long>().Should().Be(verified);
        await Sql("update emergency.mt_events set data = jsonb_set(data, '{note}', '\"confirmed by the district CDC\"') where seq_id = $1", verified);
        (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue("restoring the original row mends the chain");

        // Edit only metadata: who did it.
        await Sql("update emergency.mt_events set user_name = 'someone-else' where seq_id = $1", graded);
        (await Verification())["firstBrokenSequence"]!.GetValue<long>().Should().Be(graded);
        await Sql("update emergency.mt_events set user_name = 'wuhan' where seq_id = $1", graded);
        (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue();

        // Reorder: swap the contents of two events.
        await Sql("""
            update emergency.mt_events a set data = b.data, type = b.type, mt_dotnet_type = b.mt_dotnet_type
            from (select seq_id, data, type, mt_dotnet_type from emergency.mt_events where seq_id in ($1, $2)) b
            where a.seq_id in ($1, $2) and a.seq_id <> b.seq_id
            """, verified, graded);
        (await Verification())["firstBrokenSequence"]!.GetValue<long>().Should().Be(verified);
        await Sql("""
            update emergency.mt_events a set data = b.data, type = b.type, mt_dotnet_type = b.mt_dotnet_type
            from (select seq_id, data, type, mt_dotnet_type from emergency.mt_events where seq_id in ($1, $2)) b
            where a.seq_id in ($1, $2) and a.seq_id <> b.seq_id
            """, verified, graded);
        (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue();

        // Delete an event (keeping a copy to put back).
        await Sql("create table emergency.deleted_copy as select * from emergency.mt_events where seq_id = $1", reported);
        await Sql("delete from emergency.mt_events where seq_id = $1", reported);
        (await Verification())["firstBrokenSequence"]!.GetValue<long>().Should().Be(reported);
        await Sql("insert into emergency.mt_events select * from emergency.deleted_copy; drop table emergency.deleted_copy");
        (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task An_anchor_kept_outside_exposes_a_rewrite_of_the_whole_chain()
    {
        var incident = await Verified("420112");
        await Settled();
        var anchor = (await Reviewer.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.OK).Json;
        var check = (await Reviewer.Post("/api/audit/anchor/verification", anchor)).ShouldBe(HttpStatusCode.OK).Json;
        check["signatureValid"]!.GetValue<bool>().Should().BeTrue();
        check["matchesLog"]!.GetValue<bool>().Should().BeTrue();

        // A forged anchor is refused.
        var forged = anchor.DeepClone();
        forged["hash"] = new string('0', 64);
        (await Reviewer.Post("/api/audit/anchor/verification", forged)).Json["signatureValid"]!.GetValue<bool>().Should().BeFalse();

        // The administrator edits an event and recomputes every link after it, so the stored chain looks whole again.
        var verified = (await SequencesOf(incident))[1];
        await Sql("update emergency.mt_events set data = jsonb_set(data, '{note}', '\"rewritten\"') where seq_id = $1", verified);
        await RewriteChain();
        (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue("the rewrite fooled the chain on its own");

        var exposed = (await Reviewer.Post("/api/audit/anchor/verification", anchor)).Json;
        exposed["signatureValid"]!.GetValue<bool>().Should().BeTrue();
        exposed["matchesLog"]!.GetValue<bool>().Should().BeFalse("the log no longer hashes to the value anchored outside");

        await Sql("update emergency.mt_events set data = jsonb_set(data, '{note}', '\"confirmed by the district CDC\"') where seq_id = $1", verified);
        await RewriteChain();
        (await Reviewer.Post("/api/audit/anchor/verification", anchor)).Json["matchesLog"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Deleting_the_newest_links_or_the_whole_chain_is_found()
    {
        await Verified("420114");
        var clean = await Verification();
        clean["valid"]!.GetValue<bool>().Should().BeTrue(clean.ToJsonString());
        var chain = new ChainRows(Fixture.ConnectionString);
        var links = await chain.Read();
        try
        {
            // The newest two links go: the events they chained are at or below the chain's progress, so they must be chained.
            await chain.Write(links.SkipLast(2).ToList());
            var truncated = await Verification();
            truncated["valid"]!.GetValue<bool>().Should().BeFalse(truncated.ToJsonString());
            truncated["firstBrokenSequence"]!.GetValue<long>().Should().Be(links[^2].Sequence);

            await chain.Write([]);
            var empty = await Verification();
            empty["valid"]!.GetValue<bool>().Should().BeFalse(empty.ToJsonString());
            empty["problem"]!.ToString().Should().Contain("chain is empty");
        }
        finally
        {
            await chain.Write(links);
        }
        (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue("the links are back");
    }

    [Fact]
    public async Task Edited_stream_rows_and_event_columns_the_first_form_left_out_are_found()
    {
        var incident = await Verified("420115");
        var sequences = await SequencesOf(incident);
        var (reported, verified) = (sequences[0], sequences[1]);
        (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue();

        // The stream row: its fixed columns are hashed into every event of the stream, the changing ones checked against the events.
        foreach (var (edit, undo, broken, problem) in new[]
                 {
                     ("created = created + interval '1 second'", "created = created - interval '1 second'", reported, "differs from what was chained"),
                     ("tenant_id = 'elsewhere'", "tenant_id = '*DEFAULT*'", reported, "differs from what was chained"),
                     ("type = 'forged'", "type = null", reported, "differs from what was chained"),
                     ("version = version + 1", "version = version - 1", verified, "(version)"),
                     ("is_archived = true", "is_archived = false", verified, "(is_archived)"),
                     ("compacted_version = 1", "compacted_version = 0", verified, "(compacted_version)"),
                 })
        {
            var type = await Scalar("select type from emergency.mt_streams where id = $1", incident);
            await Sql($"update emergency.mt_streams set {edit} where id = $1", incident);
            var found = await Verification();
            found["valid"]!.GetValue<bool>().Should().BeFalse(edit);
            found["firstBrokenSequence"]!.GetValue<long>().Should().Be(broken, edit);
            found["problem"]!.ToString().Should().Contain(problem, edit);
            await Sql($"update emergency.mt_streams set {undo} where id = $1", incident);
            if (type is not null) await Sql("update emergency.mt_streams set type = $2 where id = $1", incident, type);
            (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue($"undoing {edit} mends it");
        }

        // Columns of the event row that the first form of the chain did not cover.
        foreach (var (edit, undo) in new[]
                 {
                     ("timestamp = timestamp - interval '1 millisecond'", "timestamp = timestamp + interval '1 millisecond'"),
                     ("tenant_id = 'elsewhere'", "tenant_id = '*DEFAULT*'"),
                     ("is_archived = true", "is_archived = false"),
                     ("bdata = '\\x00'::bytea", "bdata = null"),
                 })
        {
            await Sql($"update emergency.mt_events set {edit} where seq_id = $1", verified);
            var found = await Verification();
            found["valid"]!.GetValue<bool>().Should().BeFalse(edit);
            found["firstBrokenSequence"]!.GetValue<long>().Should().Be(verified, edit);
            await Sql($"update emergency.mt_events set {undo} where seq_id = $1", verified);
            (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue($"undoing {edit} mends it");
        }
    }

    private async Task<object?> Scalar(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    [Fact]
    public async Task The_chain_covers_every_column_of_the_event_table()
    {
        await using var db = NpgsqlDataSource.Create(Fixture.ConnectionString);
        (await EventLog.ColumnsOf(db, "mt_events", CancellationToken.None)).Should().BeEquivalentTo(EventLog.EventColumns,
            "a column Marten adds must be hashed too (AuditChain's canonical form) or be explained here");
    }

    private async Task<List<ChainLink>> Rehashed(Func<int, int>? formOf = null)
    {
        await using var db = NpgsqlDataSource.Create(Fixture.ConnectionString);
        var rows = await EventLog.Rows(db, 0, null, CancellationToken.None).ToListAsync();
        var previous = AuditChain.Genesis;
        var links = new List<ChainLink>();
        for (var i = 0; i < rows.Count; i++)
        {
            var form = formOf?.Invoke(i) ?? AuditChain.CurrentForm;
            previous = AuditChain.Next(previous, rows[i], form);
            links.Add(new ChainLink(rows[i].Sequence, Convert.ToHexString(previous), form));
        }
        return links;
    }

    private async Task RewriteChain() => await new ChainRows(Fixture.ConnectionString).Write(await Rehashed());

    [Fact]
    public async Task Links_of_the_first_form_stored_one_per_event_still_verify_and_a_form_cannot_go_back()
    {
        await Verified("420122");
        await Settled();
        // As a database chained before form 2 and before blocks: its older links hashed in form 1 and stored one document
        // each without a form, the newer in form 2, in blocks.
        var chain = new ChainRows(Fixture.ConnectionString);
        var links = await chain.Read();
        var half = links.Count / 2;
        var mixed = await Rehashed(i => i < half ? 1 : 2);
        await chain.Write(mixed.Select((l, i) => i < half ? l with { Form = 0 } : l).ToList(), storedSingly: mixed[half - 1].Sequence);
        try
        {
            var verified = await Verification();
            verified["valid"]!.GetValue<bool>().Should().BeTrue(verified.ToJsonString());
            var anchor = (await Reviewer.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.OK).Json;
            anchor["sequence"]!.GetValue<long>().Should().Be(mixed[^1].Sequence);
            (await Reviewer.Post("/api/audit/anchor/verification", anchor)).Json["matchesLog"]!.GetValue<bool>().Should().BeTrue();

            // A form-2 link relabelled as form 1 (whose text leaves columns out) is refused, whatever its hash.
            await chain.Write(mixed.Select((l, i) => i < half ? l with { Form = 0 } : i == mixed.Count - 1 ? l with { Form = 1 } : l).ToList(),
                storedSingly: mixed[half - 1].Sequence);
            var back = await Verification();
            back["valid"]!.GetValue<bool>().Should().BeFalse();
            back["firstBrokenSequence"]!.GetValue<long>().Should().Be(mixed[^1].Sequence);
        }
        finally
        {
            await chain.Write(links);
        }
        (await Verification())["valid"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task A_chain_stored_one_link_per_event_goes_on_in_blocks()
    {
        await Verified("420123");
        await Settled();
        var chain = new ChainRows(Fixture.ConnectionString);
        var before = await chain.Read();
        await chain.Write(before, storedSingly: before[^1].Sequence);

        var incident = await Verified("420124");
        var verification = await Verification();
        verification["valid"]!.GetValue<bool>().Should().BeTrue(verification.ToJsonString());
        var added = (await SequencesOf(incident)).Min();
        verification["chainedThrough"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(added);
        (await Scalar("select count(*) from emergency.mt_doc_auditlink")).Should().Be((long)before.Count, "the older links stay as they were");
        (await Scalar("select count(*) from emergency.mt_doc_auditblock where data->'links' @> jsonb_build_array(jsonb_build_object('sequence', $1::bigint))", added))
            .Should().Be(1L, "the new links are stored in a block");
    }

    [Fact]
    public async Task A_page_chained_again_after_a_failed_commit_or_in_a_rebuild_gives_the_same_links()
    {
        await Verified("420125");
        await Settled();
        var chain = new ChainRows(Fixture.ConnectionString);
        var stored = await chain.Read();
        stored.Count.Should().BeGreaterThan(3);
        var store = Fixture.Host.Services.GetRequiredService<IDocumentStore>();
        var projection = new AuditChainProjection(Fixture.Host.Services.GetRequiredService<NpgsqlDataSource>());

        // The daemon hands a page over again when its commit failed: the page starts inside a block that already holds it.
        foreach (var after in new[] { stored[^4].Sequence, 0 })
        {
            await using var session = store.LightweightSession();
            var page = await EventLog.Between(session, after, stored[^1].Sequence, CancellationToken.None);
            await projection.ApplyAsync(session, page, CancellationToken.None);
            await session.SaveChangesAsync();
            (await chain.Read()).Should().Equal(stored, after == 0 ? "a rebuild from the first event" : "a retried page");
        }
    }

    [Fact]
    public async Task Replay_pages_through_the_log_in_commit_order_within_a_jurisdiction()
    {
        var incident = await Verified("420113");
        (await Wuhan.Post($"/api/incidents/{incident}/grade", new { severity = "III", rationale = "r" })).ShouldBe(HttpStatusCode.OK);
        await Reported("440103");
        var first = (await SequencesOf(incident))[0];

        var page = (await Reviewer.Get($"/api/replay?fromSequence={first}&limit=2&jurisdiction=420113")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        page.Select(e => e!["type"]!.ToString()).Should().Equal("IncidentReported", "IncidentVerified");
        page[0]!["actor"]!.ToString().Should().Be("reporter");
        page[0]!["data"]!["jurisdiction"]!.ToString().Should().Be("420113");
        var next = (await Reviewer.Get($"/api/replay?fromSequence={page[1]!["sequence"]!.GetValue<long>() + 1}&limit=10&jurisdiction=420113")).Json.AsArray();
        next.Select(e => e!["type"]!.ToString()).Should().Equal("IncidentGraded");

        var all = (await Reviewer.Get($"/api/replay?fromSequence={first}&limit=1000")).Json.AsArray();
        all.Select(e => e!["sequence"]!.GetValue<long>()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        all.Should().Contain(e => e!["data"]!["jurisdiction"] != null && e!["data"]!["jurisdiction"]!.ToString() == "440103");
        (await Reviewer.Get("/api/replay?limit=5000")).ShouldBe(HttpStatusCode.BadRequest);
    }
}
