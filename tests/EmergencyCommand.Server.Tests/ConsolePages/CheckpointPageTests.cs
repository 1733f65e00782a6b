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
        page.Find("#vehicle-plate").Input("鄂A12345");
        await page.InvokeAsync(() => page.Find("form").Submit());

        // Then the verdict is refused, with the reason, and the refused check is in the channel's record
        page.WaitForAssertion(() => page.Find("[data-testid=verdict]").GetAttribute("data-admitted").Should().Be("false"), TimeSpan.FromSeconds(10));
        page.Find("[data-testid=verdict]").TextContent.Should().Contain("禁止通行").And.Contain("无效通行码");
        var checks = (await As("logistics").Get($"/api/green-channels/{channel}/checks")).Json.AsArray();
        checks.Should().ContainSingle(c => (string)c!["reason"]! == "UnknownPass");
    }

}

/// <summary>A class of its own: its channel would be a second post for the officer above, who then picks none by default.</summary>
public sealed class CheckpointPlateTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    [Fact]
    public async Task A_plate_other_than_the_passs_and_a_second_admission_are_refused_in_large_type_and_a_missing_plate_is_asked_for()
    {
        // Given a channel in Wuhan and a pass for 鄂A12345
        var logistics = As("logistics");
        var channel = (await logistics.Post("/api/green-channels", new
        {
            name = "Hankou corridor", origin = "Hankou", destination = "Wuchang", jurisdiction = "420100",
            checkpoints = new[] { new { code = "HK-2", name = "Yangtze bridge" } },
            validFrom = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), validUntil = DateTimeOffset.UtcNow.AddDays(3).ToString("O"), cargo = new[] { "Masks" },
        })).Id;
        var code = (await logistics.Post($"/api/green-channels/{channel}/passes",
            new { vehiclePlate = "鄂A12345", driver = "Li", cargo = new[] { "Masks" }, validUntil = DateTimeOffset.UtcNow.AddDays(1).ToString("O") })).Json["passCode"]!.ToString();
        SignedInAs("checkpoint", ["CheckpointOfficer"], ["420100"]);
        var page = Bunit.Render<Checkpoint>();
        page.WaitForAssertion(() => page.Markup.Should().Contain("Yangtze bridge"), TimeSpan.FromSeconds(10));

        async Task<(string Admitted, string Text)> Verdict(string plate)
        {
            page.Find("#pass-code").Input(code);
            page.Find("#vehicle-plate").Input(plate);
            await page.InvokeAsync(() => page.Find("form").Submit());
            // Each verdict names the plate it was given for, so a new one is told from the last.
            page.WaitForAssertion(() => page.Find("[data-testid=verdict] .verdict-code").TextContent.Should().Contain(plate), TimeSpan.FromSeconds(10));
            var verdict = page.Find("[data-testid=verdict]");
            return (verdict.GetAttribute("data-admitted")!, verdict.TextContent);
        }

        // When the plate is left out, the page asks for it beside the field
        page.Find("#pass-code").Input(code);
        await page.InvokeAsync(() => page.Find("form").Submit());
        page.WaitForAssertion(() => page.Markup.Should().Contain("is required"), TimeSpan.FromSeconds(10));
        page.FindAll("[data-testid=verdict]").Should().BeEmpty();

        // Then another vehicle with the code is refused, the right one admitted, and the same pass again refused
        var mismatch = await Verdict("鄂B99999");
        mismatch.Admitted.Should().Be("false");
        mismatch.Text.Should().Contain("禁止通行").And.Contain("车牌与通行证不符");
        (await Verdict("鄂a 12345")).Admitted.Should().Be("true");
        var again = await Verdict("鄂A12345");
        again.Admitted.Should().Be("false");
        again.Text.Should().Contain("禁止通行").And.Contain("通行证重复使用");
        var checks = (await logistics.Get($"/api/green-channels/{channel}/checks")).Json.AsArray();
        checks.Select(c => (string?)c!["reason"]).Should().Equal("PlateMismatch", null, "DuplicateUse");
    }
}
