using System.Diagnostics;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Audit;

/// <summary>The reviewers' command line (ops/ec wraps it) against a database, as its own process.</summary>
public sealed class ReviewCommandLineTests(AppFixture fixture) : ServerTest(fixture)
{
    private async Task<(int Exit, string Output)> Review(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EmergencyCommand.Server.dll"), "review", .. args, "--connection", Fixture.ConnectionString])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task Verify_replay_report_and_export_work_offline_on_the_database()
    {
        var incident = await Verified("420116");
        await Settled();

        var (verifyExit, verify) = await Review("verify");
        verifyExit.Should().Be(0, verify);
        JsonNode.Parse(verify)!["valid"]!.GetValue<bool>().Should().BeTrue();

        var (_, report) = await Review("report", "--incident", incident.ToString());
        report.Should().StartWith("# Incident review").And.Contain("report→verification");

        var (_, export) = await Review("export");
        var exported = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        exported.Should().Contain(line => line.Contains(incident.ToString()));

        var (_, replay) = await Review("replay", "--jurisdiction", "420116");
        replay.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["type"]!.ToString())
            .Should().Equal("IncidentReported", "IncidentVerified");

        (await Review("nonsense")).Exit.Should().Be(1);
    }
}
