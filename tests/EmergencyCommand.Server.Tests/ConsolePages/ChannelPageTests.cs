using System.Net;
using Bunit;
using EmergencyCommand.Server.GreenChannels.Pages;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.ConsolePages;

public sealed class ChannelPageTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    private async Task<Guid> Channel(string jurisdiction) => (await Logistics.Post("/api/green-channels", new
    {
        name = $"Corridor {jurisdiction}", origin = "A", destination = "B", checkpoints = new[] { new { code = "CP1", name = "Gate" } },
        validFrom = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), validUntil = DateTimeOffset.UtcNow.AddDays(7).ToString("O"),
        cargo = new[] { "Medical supplies" }, jurisdiction,
    })).ShouldBe(HttpStatusCode.Created).Id;

    [Fact]
    public async Task A_city_commander_runs_the_citys_channel_and_only_reads_the_nations()
    {
        // Given a Wuhan channel and a national corridor that crosses Wuhan
        var city = await Channel("420100");
        var national = await Channel("000000");
        SignedInAs("wuhan", ["Commander"], ["420100"]);

        // When Wuhan's commander opens each, then the city's offers passes and disruption, and the nation's none of them
        // (the server would refuse them: the corridor is the nation's to run).
        var own = Bunit.Render<ChannelPage>(p => p.Add(c => c.Id, city));
        own.WaitForAssertion(() => own.Find("#disrupt"), TimeSpan.FromSeconds(10));
        own.FindAll("#issue-pass").Should().ContainSingle();

        var above = Bunit.Render<ChannelPage>(p => p.Add(c => c.Id, national));
        above.WaitForAssertion(() => above.Find("[data-testid=version]"), TimeSpan.FromSeconds(10));
        above.FindAll("#disrupt, #issue-pass, #close-channel, [data-action=revoke]").Should().BeEmpty();
    }
}
