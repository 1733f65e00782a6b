using System.Diagnostics;
using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>The OpenAPI document passes Redocly's recommended rules, so a generated client authenticates and reads errors.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class OpenApiLintTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task The_document_declares_bearer_and_cookie_security_and_lints_clean_under_redocly_recommended_rules()
    {
        var body = (await Anonymous.Get("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK).Body;
        var document = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        document["components"]!["securitySchemes"]!.AsObject().Select(s => s.Key).Should().BeEquivalentTo(["bearer", "cookie"]);
        document["paths"]!["/api/incidents"]!["post"]!["security"]!.AsArray().Should().HaveCount(2);
        document["paths"]!["/api/auth/token"]!["post"]!["security"]!.AsArray().Should().BeEmpty("signing in needs no credentials");

        var redocly = Environment.GetEnvironmentVariable("EC_REDOCLY")
                      ?? throw new InvalidOperationException("EC_REDOCLY is not set: run the tests through ops/test, which installs Redocly's CLI.");
        var file = Path.Combine(Path.GetTempPath(), $"ec-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, body);
        try
        {
            var info = new ProcessStartInfo(redocly, ["lint", file, "--format=summary", "--max-problems=500"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var lint = Process.Start(info)!;
            var output = await lint.StandardOutput.ReadToEndAsync() + await lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync();
            lint.ExitCode.Should().Be(0, output);
            var problems = output.Split('\n').Where(l => l.StartsWith("error") || l.StartsWith("warning")).Select(l => l.Trim()).ToList();
            // The repository has no licence yet: naming one is the project's decision, not this test's.
            problems.Should().BeEquivalentTo(["warning info-license: 1"], output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
