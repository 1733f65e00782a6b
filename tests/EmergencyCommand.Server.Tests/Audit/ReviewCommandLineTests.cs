using System.Diagnostics;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Audit;

/// <summary>The reviewers' command line (ops/ec wraps it) against a database, as its own process.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class ReviewCommandLineTests(AppFixture fixture) : ServerTest(fixture)
{
    private async Task<(int Exit, string Output, string Errors)> Review(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EmergencyCommand.Server.dll"), "review", .. args, "--connection", Fixture.ConnectionString])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task Verify_replay_report_and_export_work_offline_on_the_database()
    {
        var incident = await Verified("420116");
        await Settled();

        var (verifyExit, verify, _) = await Review("verify");
        verifyExit.Should().Be(0, verify);
        JsonNode.Parse(verify)!["valid"]!.GetValue<bool>().Should().BeTrue();

        // An anchor kept outside, checked offline against the database copy with only the public key.
        var anchorFile = Path.Combine(Path.GetTempPath(), $"anchor-{Guid.NewGuid():N}.json");
        var keyFile = Path.Combine(Path.GetTempPath(), $"anchor-key-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(anchorFile, (await Reviewer.Get("/api/audit/anchor")).ShouldBe(System.Net.HttpStatusCode.OK).Body);
        await File.WriteAllTextAsync(keyFile, (await Anonymous.Get("/api/audit/public-key")).ShouldBe(System.Net.HttpStatusCode.OK).Body);
        var (anchorExit, anchorCheck, anchorErrors) = await Review("verify", "--anchor", anchorFile, "--public-key", keyFile);
        anchorExit.Should().Be(0, anchorCheck + anchorErrors);
        JsonNode.Parse(anchorCheck)!["matchesLog"]!.GetValue<bool>().Should().BeTrue();
        JsonNode.Parse(anchorCheck)!["chain"]!["valid"]!.GetValue<bool>().Should().BeTrue();
        var forged = JsonNode.Parse(await File.ReadAllTextAsync(anchorFile))!;
        forged["hash"] = new string('0', 64);
        await File.WriteAllTextAsync(anchorFile, forged.ToJsonString());
        var (forgedExit, forgedCheck, _) = await Review("verify", "--anchor", anchorFile, "--public-key", keyFile);
        forgedExit.Should().Be(3);
        JsonNode.Parse(forgedCheck)!["signatureValid"]!.GetValue<bool>().Should().BeFalse();
        File.Delete(anchorFile);
        File.Delete(keyFile);

        var (_, report, _) = await Review("report", "--incident", incident.ToString());
        report.Should().StartWith("# Incident review").And.Contain("report→verification");

        var (_, export, _) = await Review("export");
        var exported = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        exported.Should().Contain(line => line.Contains(incident.ToString()));

        var (_, replay, _) = await Review("replay", "--jurisdiction", "420116");
        var replayed = replay.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        replayed.Select(e => e["type"]!.ToString()).Should().Equal("IncidentReported", "IncidentVerified");
        var verifiedAt = replayed[1]["sequence"]!.ToString();
        var (_, window, _) = await Review("replay", "--from", verifiedAt, "--to", verifiedAt);
        window.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["type"]!.ToString()).Should().Equal("IncidentVerified");
        var (_, csv, _) = await Review("report", "--incident", incident.ToString(), "--format", "csv");
        csv.Should().StartWith("section,sequence,at,type").And.Contain(",IncidentVerified,");

        // Bad input is a plain answer naming the option, never a stack trace.
        foreach (var (args, named) in new[]
                 {
                     (new[] { "nonsense" }, "unknown command"), (new[] { "replay", "--from", "abc" }, "--from"),
                     (new[] { "replay", "--jurisdiction", "Wuhan" }, "--jurisdiction"), (new[] { "report", "--incident", "42" }, "--incident"),
                     (new[] { "report", "--incident", incident.ToString(), "--format", "pdf" }, "--format"),
                     (new[] { "verify", "--anchor", "/nonexistent/anchor.json", "--public-key", "/nonexistent/key.pem" }, "--public-key"),
                     (new[] { "verify", "--anchor", "/nonexistent/anchor.json" }, "--public-key"),
                 })
        {
            var (exit, _, errors) = await Review(args);
            exit.Should().Be(1, string.Join(' ', args));
            errors.Should().Contain(named).And.Contain("usage: ops/ec").And.NotContain("   at ");
        }
    }
}
