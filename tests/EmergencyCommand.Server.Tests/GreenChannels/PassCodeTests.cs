using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Server.Audit;
using EmergencyCommand.Server.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace EmergencyCommand.Server.Tests.GreenChannels;

/// <summary>A pass code is handed over once; after that it is in no answer, no export and nowhere in the database.</summary>
public sealed class PassCodeTests(AppFixture fixture) : ServerTest(fixture)
{
    private static string In(int hours) => DateTimeOffset.UtcNow.AddHours(hours).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private async Task<Guid> Channel(double? yuehu = null, double? xianning = null) =>
        (await Logistics.Post("/api/green-channels", new
        {
            name = "Guangzhou → Wuhan corridor", origin = "Guangzhou", destination = "Wuhan", jurisdiction = "000000",
            checkpoints = new object[] { new { code = "YUEHU", name = "Guangdong/Hunan border", kilometre = yuehu }, new { code = "XIANNING", name = "Xianning toll gate", kilometre = xianning } },
            validFrom = In(-24), validUntil = In(24 * 30), cargo = new[] { "Medical supplies" },
        })).ShouldBe(HttpStatusCode.Created).Id;

    private async Task<JsonNode> Pass(Guid channel, string plate = "粤A12345", Action<System.Net.Http.Headers.HttpRequestHeaders>? headers = null,
        string? validUntil = null) =>
        (await Logistics.Post($"/api/green-channels/{channel}/passes",
            new { vehiclePlate = plate, driver = "Li Wei", cargo = new[] { "Medical supplies" }, validUntil = validUntil ?? In(72) }, headers))
        .ShouldBe(HttpStatusCode.Created).Json;

    private Task<Response> Check(Guid channel, string checkpoint, string code, string vehiclePlate = "粤A12345") =>
        Responder.Post($"/api/green-channels/{channel}/checkpoints/{checkpoint}/passages", new { passCode = code, vehiclePlate });

    private async Task<List<JsonNode>> Replayed()
    {
        await Settled();
        return (await Reviewer.Get("/api/replay?limit=1000")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Select(e => e!).ToList();
    }

    private async Task<List<string>> Exported()
    {
        var rows = new List<string>();
        await foreach (var row in Fixture.Host.Services.GetRequiredService<AuditEvidence>().Export(CancellationToken.None)) rows.Add(row.Data);
        return rows;
    }

    /// <summary>Every row of every table of the test's database that holds <paramref name="text"/>, as "schema.table".</summary>
    private async Task<List<string>> TablesHolding(string text)
    {
        await using var db = new NpgsqlConnection(Fixture.ConnectionString);
        await db.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
                         "select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables " +
                         "where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')", db))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var holding = new List<string>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from {table} t where t::text ilike '%' || $1 || '%'", db);
            count.Parameters.Add(new NpgsqlParameter { Value = text });
            if ((long)(await count.ExecuteScalarAsync())! > 0) holding.Add(table);
        }
        return holding;
    }

    [Fact]
    public async Task An_issued_code_is_answered_once_and_is_in_no_read_no_export_and_nowhere_in_the_database()
    {
        var channel = await Channel();
        var key = Guid.NewGuid().ToString();
        // The retry sends the very same body: a key belongs to one request, and another body would be 422.
        var validUntil = In(72);
        var pass = await Pass(channel, headers: h => h.Add("Idempotency-Key", key), validUntil: validUntil);
        var code = pass["passCode"]!.ToString();
        code.Should().MatchRegex("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$");
        (await Check(channel, "YUEHU", code)).ShouldBe(HttpStatusCode.OK).Json["admitted"]!.GetValue<bool>().Should().BeTrue();

        var retried = (await Logistics.Post($"/api/green-channels/{channel}/passes",
            new { vehiclePlate = "粤A12345", driver = "Li Wei", cargo = new[] { "Medical supplies" }, validUntil }, h => h.Add("Idempotency-Key", key)))
            .ShouldBe(HttpStatusCode.Created);
        retried.Json["id"]!.ToString().Should().Be(pass["id"]!.ToString(), "the retry is answered from the first answer");
        retried.Json["passCode"].Should().BeNull("the code is shown once; a lost one is revoked and issued anew");

        var replayed = await Replayed();
        var reads = new[]
        {
            (await Reviewer.Get($"/api/green-channels/{channel}")).ShouldBe(HttpStatusCode.OK).Body,
            (await Logistics.Get("/api/green-channels")).ShouldBe(HttpStatusCode.OK).Body,
            (await Reviewer.Get($"/api/green-channels/{channel}/checks")).ShouldBe(HttpStatusCode.OK).Body,
            (await Reviewer.Get($"/api/streams/{channel}/changes")).ShouldBe(HttpStatusCode.OK).Body,
            (await Reviewer.Get("/api/reviews/jurisdictions/000000?format=json")).ShouldBe(HttpStatusCode.OK).Body,
            string.Join('\n', replayed.Select(e => e.ToJsonString())),
            string.Join('\n', await Exported()),
        };
        var plain = code.Replace("-", "");
        reads.Should().OnlyContain(r => !r.Contains(code) && !r.Contains(plain));
        replayed.Single(e => e["data"]!["passId"]?.ToString() == pass["id"]!.ToString() && e["type"]!.ToString() == "PassIssued")["data"]!["passCodeHash"]!.ToString().Should().MatchRegex("^[0-9A-F]{64}$");
        replayed.Single(e => e["data"]!["passId"]?.ToString() == pass["id"]!.ToString() && e["type"]!.ToString() == "CheckpointChecked")["data"]!["presentedCodeEnding"]!.ToString().Should().Be(code[^4..]);

        (await TablesHolding(code)).Should().BeEmpty();
        (await TablesHolding(plain)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_pass_issued_before_codes_were_hashed_is_masked_wherever_the_log_is_read_and_still_admitted()
    {
        var channel = await Channel();
        var legacyCode = PassCodes.Format(RandomNumberGenerator.GetBytes(12));
        var legacyPass = Guid.NewGuid();
        var now = SystemClock.Instance.GetCurrentInstant();
        var store = Fixture.Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            // As the older server wrote them: the plain code in the pass, and the presented code in a check.
            session.Events.Append(channel, new PassIssued(channel, legacyPass, legacyCode, "粤B00001", "Old driver", ["Medical supplies"], now + Duration.FromDays(2), now));
            session.Events.Append(Guid.NewGuid(), new CheckpointChecked(channel, "YUEHU", null, null, legacyPass, true, null, now - Duration.FromHours(1)));
            await session.SaveChangesAsync();
        }
        await using (var db = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await db.OpenAsync();
            await using var older = new NpgsqlCommand(
                "update emergency.mt_events set data = (data - 'presentedCodeEnding' - 'presentedPlate') || jsonb_build_object('presentedCode', $1::text) " +
                "where type = 'checkpoint_checked' and data ->> 'passId' = $2", db);
            older.Parameters.Add(new NpgsqlParameter { Value = legacyCode });
            older.Parameters.Add(new NpgsqlParameter { Value = legacyPass.ToString() });
            (await older.ExecuteNonQueryAsync()).Should().Be(1);
        }

        var admitted = (await Check(channel, "XIANNING", legacyCode.ToLowerInvariant(), "粤B 00001")).ShouldBe(HttpStatusCode.OK).Json;
        admitted["admitted"]!.GetValue<bool>().Should().BeTrue(admitted.ToJsonString());
        (await Check(channel, "XIANNING", legacyCode, "粤B00001")).Json["reason"]!.ToString().Should().Be("DuplicateUse");

        var mask = $"••••-••••-{legacyCode[^4..]}";
        var replayed = await Replayed();
        replayed.Single(e => e["data"]!["passId"]?.ToString() == legacyPass.ToString() && e["type"]!.ToString() == "PassIssued")["data"]!["passCode"]!.ToString().Should().Be(mask);
        replayed.Single(e => e["data"]!["presentedCode"] is not null)["data"]!["presentedCode"]!.ToString().Should().Be(mask);
        replayed.Select(e => e.ToJsonString()).Should().NotContain(r => r.Contains(legacyCode));
        (await Exported()).Should().NotContain(r => r.Contains(legacyCode)).And.Contain(r => r.Contains(mask));
        (await Reviewer.Get($"/api/green-channels/{channel}")).Body.Should().NotContain(legacyCode);
    }

    [Fact]
    public async Task A_plate_other_than_the_passs_and_a_pass_in_two_vehicles_are_refused_and_recorded()
    {
        var channel = await Channel(yuehu: 290, xianning: 890);
        var code = (await Pass(channel))["passCode"]!.ToString();
        var started = DateTimeOffset.UtcNow;

        async Task<string?> Verdict(string checkpoint, string plate)
        {
            var answer = (await Check(channel, checkpoint, code, plate)).ShouldBe(HttpStatusCode.OK).Json;
            return answer["admitted"]!.GetValue<bool>() ? null : answer["reason"]!.ToString();
        }

        (await Verdict("YUEHU", "鄂A99999")).Should().Be("PlateMismatch");
        (await Verdict("YUEHU", "粤a-12345")).Should().BeNull("case, spaces and dashes do not count");
        (await Verdict("YUEHU", "粤A12345")).Should().Be("DuplicateUse", "admitted here minutes ago");
        (await Verdict("XIANNING", "粤A12345")).Should().Be("DuplicateUse", "600 km in seconds");

        var checks = new List<JsonNode?>();
        foreach (var day in new[] { started, DateTimeOffset.UtcNow }.DistinctBy(at => at.ToOffset(TimeSpan.FromHours(8)).Date))
            checks.AddRange((await Reviewer.Get($"/api/green-channels/{channel}/checks?on={Uri.EscapeDataString(day.ToString("O"))}")).Json.AsArray());
        checks.Select(c => c!["reason"]?.ToString()).Should().Equal("PlateMismatch", null, "DuplicateUse", "DuplicateUse");
        checks[0]!["presentedPlate"]!.ToString().Should().Be("鄂A99999", "the plate seen is evidence of the refusal");
        checks[0]!["presentedCodeEnding"]!.ToString().Should().Be(code[^4..]);
        (await Reporter.Get($"/api/green-channels/{channel}/checks")).Json.AsArray().Should()
            .OnlyContain(c => c!["presentedPlate"]!.ToString() == "(withheld)", "plates reach only those whose work needs them");
        (await Reviewer.Get($"/api/green-channels/{channel}")).Json["checkpoints"]![1]!["kilometre"]!.GetValue<double>().Should().Be(890);
    }

    [Fact]
    public async Task A_check_without_a_plate_and_a_checkpoint_off_the_road_are_bad_requests_naming_the_field()
    {
        var channel = await Channel();
        var problem = (await Responder.Post($"/api/green-channels/{channel}/checkpoints/YUEHU/passages", new { passCode = "ZZZZ-ZZZZ-ZZZZ" }))
            .ShouldBe(HttpStatusCode.BadRequest).Json;
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("vehiclePlate");
        (await Reviewer.Get($"/api/green-channels/{channel}/checks")).Json.AsArray().Should().BeEmpty("a request that is not a check records nothing");

        (await Logistics.Post("/api/green-channels", new
        {
            name = "x", origin = "a", destination = "b", validFrom = In(-1), validUntil = In(24),
            checkpoints = new[] { new { code = "A", name = "A", kilometre = -5.0 } },
        })).ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!.AsObject().Select(e => e.Key).Should().Equal("checkpoints[0].kilometre");
    }

    [Fact]
    public async Task A_checkpoint_code_is_one_segment_of_the_checks_address_and_unique_once_trimmed()
    {
        // A code with a slash (or only dots) could never be reached to record a check there.
        object Opening(params string[] codes) => new
        {
            name = "x", origin = "a", destination = "b", validFrom = In(-1), validUntil = In(24),
            checkpoints = codes.Select(c => new { code = c, name = "Gate" }).ToArray(),
        };
        (await Logistics.Post("/api/green-channels", Opening("G4/K1200", ".."))).ShouldBe(HttpStatusCode.BadRequest)
            .Json["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("checkpoints[0].code", "checkpoints[1].code");
        (await Logistics.Post("/api/green-channels", Opening("K1", "K1 "))).ShouldBe(HttpStatusCode.BadRequest)
            .Json["errors"]!.AsObject().Select(e => e.Key).Should().Equal("checkpoints");

        // A code with other punctuation or Chinese is recorded at like any other.
        var channel = (await Logistics.Post("/api/green-channels", Opening("岳阳-01", "G4 K1200"))).ShouldBe(HttpStatusCode.Created).Id;
        (await Responder.Post($"/api/green-channels/{channel}/checkpoints/{Uri.EscapeDataString("岳阳-01")}/passages",
            new { passCode = "ZZZZ-ZZZZ-ZZZZ", vehiclePlate = "粤A12345" })).ShouldBe(HttpStatusCode.OK).Json["reason"]!.GetValue<string>()
            .Should().NotBe("UnknownCheckpoint");
    }
}
