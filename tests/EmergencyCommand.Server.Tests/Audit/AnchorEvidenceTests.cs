using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Alba;
using EmergencyCommand.Server.Audit;
using EmergencyCommand.Server.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Wolverine;

namespace EmergencyCommand.Server.Tests.Audit;

/// <summary>A server whose witness writes to a directory of its own, allows 3 anchors a minute, and no grace for an unchained event.</summary>
public sealed class WitnessedServer : AppFixture, IAsyncLifetime
{
    public string WitnessDirectory { get; } = Path.Combine(Path.GetTempPath(), $"ec-witness-{Guid.NewGuid():N}");

    /// <summary>The key that signed anchors before a rotation: the server knows only its public half, from a file.</summary>
    public ECDsa PreviousKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private string PreviousKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"ec-previous-anchor-key-{Guid.NewGuid():N}.pem");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Audit:WitnessDirectory"] = WitnessDirectory,
        ["Audit:PreviousPublicKeyFiles:0"] = WrittenOnce(PreviousKeyFile, PreviousKey.ExportSubjectPublicKeyInfoPem()),
        // The tests drive the witness themselves; its timer never ticks within a test run.
        ["Audit:AnchorEveryMinutes"] = "600",
        ["Audit:AnchorsPerMinute"] = "3",
        ["Audit:ChainGraceSeconds"] = "0",
    };

    private static string WrittenOnce(string file, string content)
    {
        if (!File.Exists(file)) File.WriteAllText(file, content);
        return file;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        PreviousKey.Dispose();
        File.Delete(PreviousKeyFile);
        if (Directory.Exists(WitnessDirectory)) Directory.Delete(WitnessDirectory, recursive: true);
    }
}

/// <summary>Anchors an outsider can check: ECDSA signatures, the public key, the witness outside the database, who may sign.</summary>
public sealed class AnchorEvidenceTests(WitnessedServer fixture) : ServerTest<WitnessedServer>(fixture)
{
    private async Task<int> Sql(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<string> Temp(string name, string content)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, content);
        return file;
    }

    /// <summary>
    /// <c>ops/ec review …</c> in-process, with services that hold no signing key at all (as Production without one): what
    /// it checks, it checks with the public key given.
    /// </summary>
    private async Task<(int Exit, string Output, string Errors)> Offline(params string[] args)
    {
        var host = Fixture.Host.Services;
        var keyless = new AnchorSigner(Options.Create(new AuditOptions()), new HostingEnvironment { EnvironmentName = "Production" });
        var evidence = new AuditEvidence(host.GetRequiredService<NpgsqlDataSource>(), host.GetRequiredService<IDocumentStore>(),
            host.GetRequiredService<IOptions<AuditOptions>>(), host.GetRequiredService<IClock>(), keyless,
            host.GetRequiredService<EmergencyCommand.Server.Platform.Modules>());
        await using var services = new ServiceCollection().AddSingleton(evidence).AddSingleton(host.GetRequiredService<ReviewReporter>()).BuildServiceProvider();
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await ReviewCommandLine.Run(services, args, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task An_anchor_verifies_offline_with_only_the_public_key_and_fails_with_another_key_or_an_altered_hash()
    {
        await Verified("420117");
        await Settled();
        var anchor = (await Reviewer.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.OK).Json;
        anchor["algorithm"]!.ToString().Should().Be("ECDSA-P256-SHA256");
        anchor["keyId"]!.ToString().Should().MatchRegex("^[0-9a-f]{16}$");
        var anchorFile = await Temp("anchor", anchor.ToJsonString());
        var keyFile = await Temp("public-key", (await Anonymous.Get("/api/audit/public-key")).Body);

        var (exit, output, errors) = await Offline("verify", "--anchor", anchorFile, "--public-key", keyFile);
        exit.Should().Be(0, output + errors);
        var check = JsonNode.Parse(output)!;
        check["signatureValid"]!.GetValue<bool>().Should().BeTrue();
        check["matchesLog"]!.GetValue<bool>().Should().BeTrue();
        check["chain"]!["valid"]!.GetValue<bool>().Should().BeTrue();

        // Another key: the anchor is not its.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherKeyFile = await Temp("other-key", other.ExportSubjectPublicKeyInfoPem());
        var (otherExit, otherOutput, _) = await Offline("verify", "--anchor", anchorFile, "--public-key", otherKeyFile);
        otherExit.Should().Be(3);
        JsonNode.Parse(otherOutput)!["signatureValid"]!.GetValue<bool>().Should().BeFalse();
        // The same anchor without its key id still fails with another key: the id is only a hint, the signature decides.
        var withoutId = anchor.DeepClone();
        withoutId.AsObject().Remove("keyId");
        await File.WriteAllTextAsync(anchorFile, withoutId.ToJsonString());
        (await Offline("verify", "--anchor", anchorFile, "--public-key", otherKeyFile)).Exit.Should().Be(3);

        // An altered hash: the signature no longer covers it, and the log does not hash to it.
        var altered = anchor.DeepClone();
        altered["hash"] = new string('0', 64);
        await File.WriteAllTextAsync(anchorFile, altered.ToJsonString());
        var (alteredExit, alteredOutput, _) = await Offline("verify", "--anchor", anchorFile, "--public-key", keyFile);
        alteredExit.Should().Be(3);
        JsonNode.Parse(alteredOutput)!["signatureValid"]!.GetValue<bool>().Should().BeFalse();
        JsonNode.Parse(alteredOutput)!["matchesLog"]!.GetValue<bool>().Should().BeFalse();

        // The route checks with the server's own public key.
        (await Reviewer.Post("/api/audit/anchor/verification", anchor)).ShouldBe(HttpStatusCode.OK).Json["signatureValid"]!.GetValue<bool>().Should().BeTrue();
        (await Reviewer.Post("/api/audit/anchor/verification", altered)).ShouldBe(HttpStatusCode.OK).Json["signatureValid"]!.GetValue<bool>().Should().BeFalse();

        // Without the public key there is nothing to check against: a plain refusal naming the option.
        var (noKeyExit, _, noKeyErrors) = await Offline("verify", "--anchor", anchorFile);
        noKeyExit.Should().Be(1);
        noKeyErrors.Should().Contain("--public-key");
        foreach (var file in new[] { anchorFile, keyFile, otherKeyFile }) File.Delete(file);
    }

    [Fact]
    public async Task After_a_rotation_the_route_checks_an_anchor_with_the_previous_key_it_names_and_says_when_it_knows_none()
    {
        await Verified("420122");
        await Settled();
        var head = (await Reviewer.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.OK).Json;
        object SignedBy(ECDsa key)
        {
            var (sequence, hash, at) = ((long)head["sequence"]!, head["hash"]!.ToString(), NodaTime.Text.InstantPattern.ExtendedIso.Parse(head["signedAt"]!.ToString()).Value);
            var keyId = AnchorSigner.KeyIdOf(key);
            var signature = key.SignData(System.Text.Encoding.UTF8.GetBytes(AnchorSigner.SignedText(sequence, hash, at, keyId)), HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence);
            return new { sequence, hash, signedAt = head["signedAt"]!.ToString(), signature = Convert.ToHexString(signature), algorithm = AnchorSigner.Algorithm, keyId };
        }

        var before = (await Reviewer.Post("/api/audit/anchor/verification", SignedBy(Fixture.PreviousKey))).ShouldBe(HttpStatusCode.OK).Json;
        (before["signatureValid"]!.GetValue<bool>(), before["matchesLog"]!.GetValue<bool>()).Should().Be((true, true), before.ToJsonString());

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var unknown = (await Reviewer.Post("/api/audit/anchor/verification", SignedBy(stranger))).ShouldBe(HttpStatusCode.OK).Json;
        unknown["signatureValid"]!.GetValue<bool>().Should().BeFalse();
        unknown["matchesLog"]!.GetValue<bool>().Should().BeTrue("the log itself still hashes to the anchored value");
        unknown["problem"]!.ToString().Should().Contain(AnchorSigner.KeyIdOf(stranger)).And.Contain("Audit:PreviousPublicKeyFiles");
    }

    [Fact]
    public async Task The_witness_appends_an_anchor_when_the_chained_head_moved_and_only_then()
    {
        var witness = Fixture.Host.Services.GetRequiredService<AnchorWitness>();
        await Verified("420118");
        await Settled();
        var first = await witness.WitnessIfMoved(CancellationToken.None);
        first.Should().NotBeNull();
        (await witness.WitnessIfMoved(CancellationToken.None)).Should().BeNull("the head has not moved");

        await Verified("420118");
        await Settled();
        var second = await witness.WitnessIfMoved(CancellationToken.None);
        second!.Sequence.Should().BeGreaterThan(first!.Sequence);

        var file = AnchorWitness.FileOf(Fixture.WitnessDirectory, second.SignedAt);
        var lines = (await File.ReadAllLinesAsync(file)).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToList();
        lines.Select(l => l["sequence"]!.GetValue<long>()).Should().EndWith([first.Sequence, second.Sequence]);
        lines[^1]["signature"]!.ToString().Should().Be(second.Signature);

        // The witness file is an anchor file for ops/ec: its last line is checked.
        var keyFile = await Temp("public-key", (await Anonymous.Get("/api/audit/public-key")).Body);
        var (exit, output, errors) = await Offline("verify", "--anchor", file, "--public-key", keyFile);
        exit.Should().Be(0, output + errors);
        File.Delete(keyFile);
    }

    [Fact]
    public async Task The_public_key_is_pem_for_anyone_and_anchors_are_signed_for_reviewers_and_administrators_a_few_a_minute()
    {
        await Verified("420119");
        await Settled();
        var key = (await Anonymous.Get("/api/audit/public-key")).ShouldBe(HttpStatusCode.OK);
        key.Headers["Content-Type"].Should().StartWith("application/x-pem-file");
        key.Body.Should().StartWith("-----BEGIN PUBLIC KEY-----");
        using (var parsed = ECDsa.Create())
        {
            parsed.ImportFromPem(key.Body);
            parsed.KeySize.Should().Be(256);
        }

        var document = (await Anonymous.Get("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK).Json;
        document["paths"]!["/api/audit/public-key"]!["get"]!["responses"]!["200"]!["content"]!["application/x-pem-file"].Should().NotBeNull();
        document["paths"]!["/api/audit/anchor"]!["get"]!["responses"]!["429"].Should().NotBeNull();

        (await Wuhan.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.Forbidden, "a commander verifies the chain and checks anchors but signs none");
        (await National.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.Forbidden);

        var admin = As("admin");
        for (var i = 0; i < 3; i++) (await admin.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.OK);
        var refused = (await admin.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Json["title"]!.ToString().Should().Be("Too many attempts");
        refused.Headers.Should().ContainKey("Retry-After");
        refused.Headers["Content-Type"].Should().StartWith("application/problem+json");
        (await Reviewer.Get("/api/audit/anchor")).ShouldBe(HttpStatusCode.OK, "each user has an allowance of their own");
    }

    [Fact]
    public async Task Events_left_unchained_past_the_grace_make_the_log_invalid()
    {
        await Verified("420120");
        await Settled();
        (await Reviewer.Get("/api/audit/verification")).Json["valid"]!.GetValue<bool>().Should().BeTrue();

        // The whole trick of someone hiding the newest events: their links deleted, and the daemon's progress rewound.
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("select last_seq_id from emergency.mt_event_progression where name like 'AuditChain:%'", connection);
        var progress = (long)(await read.ExecuteScalarAsync())!;
        var chain = new ChainRows(Fixture.ConnectionString);
        var links = await chain.Read();
        try
        {
            await chain.Write(links.Where(l => l.Sequence <= progress - 2).ToList());
            await Sql("update emergency.mt_event_progression set last_seq_id = $1 - 2 where name like 'AuditChain:%'", progress);
            var hidden = (await Reviewer.Get("/api/audit/verification")).Json;
            hidden["valid"]!.GetValue<bool>().Should().BeFalse(hidden.ToJsonString());
            hidden["problem"]!.ToString().Should().Contain("never chained");
        }
        finally
        {
            await chain.Write(links);
            await Sql("update emergency.mt_event_progression set last_seq_id = $1 where name like 'AuditChain:%'", progress);
        }
        (await Reviewer.Get("/api/audit/verification")).Json["valid"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task With_the_chain_off_verification_says_not_chained_and_a_start_on_a_chained_database_is_refused()
    {
        await Verified("420121");
        await Settled();
        var host = Fixture.Host.Services;
        var off = new AuditEvidence(host.GetRequiredService<NpgsqlDataSource>(), host.GetRequiredService<IDocumentStore>(),
            Options.Create(new AuditOptions { Chain = false }), host.GetRequiredService<IClock>(), host.GetRequiredService<AnchorSigner>(),
            host.GetRequiredService<EmergencyCommand.Server.Platform.Modules>());
        var verification = await off.Verify(CancellationToken.None);
        verification.Valid.Should().BeFalse();
        verification.Problem.Should().StartWith("Not chained");

        var start = () => AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Demo");
            builder.UseSetting("ConnectionStrings:Marten", Fixture.ConnectionString);
            builder.UseSetting("EventStore:DaemonMode", "Solo");
            builder.UseSetting("Audit:Chain", "false");
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        });
        var refused = await start.Should().ThrowAsync<Exception>();
        refused.Which.ToString().Should().Contain("Audit:Chain=false, but this database holds an audit chain");
    }
}
