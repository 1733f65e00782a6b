using Bunit;
using EmergencyCommand.Server.GreenChannels.Pages;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.ConsolePages;

public sealed class CheckpointPageTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    [Fact]
    public async Task An_unknown_code_is_refused_in_large_type_with_the_reason_and_the_check_is_recorded()
    {
        // Given a channel with one checkpoint in Wuhan
        var channel = (await As("logistics").Post("/api/green-channels", new
        {
            name = "Airport corridor", origin = "Tianhe airport", destination = "Hankou depot", jurisdiction = "420100",
            checkpoints = new[] { new { code = "TH-1", name = "Airport exit" } },
            validFrom = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), validUntil = DateTimeOffset.UtcNow.AddDays(3).ToString("O"), cargo = new[] { "Masks" },
        })).Id;
        SignedInAs("checkpoint", ["CheckpointOfficer"], ["420100"]);
        var page = Bunit.Render<Checkpoint>();
        page.WaitForAssertion(() => page.Markup.Should().Contain("Airport exit"), TimeSpan.FromSeconds(10));

        // When the officer types a code nobody issued (the post is chosen already: it is the only one)
        page.Find("#pass-code").Input("NOPE-NOPE-NOPE");
        await page.InvokeAsync(() => page.Find("form").Submit());

        // Then the verdict is refused, with the reason, and the refused check is in the channel's record
        page.WaitForAssertion(() => page.Find("[data-testid=verdict]").GetAttribute("data-admitted").Should().Be("false"), TimeSpan.FromSeconds(10));
        page.Find("[data-testid=verdict]").TextContent.Should().Contain("禁止通行").And.Contain("无效通行码");
        var checks = (await As("logistics").Get($"/api/green-channels/{channel}/checks")).Json.AsArray();
        checks.Should().ContainSingle(c => (string)c!["reason"]! == "UnknownPass");
    }
}
