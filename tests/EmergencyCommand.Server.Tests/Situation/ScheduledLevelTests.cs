using System.Net;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Server.Situation;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace EmergencyCommand.Server.Tests.Situation;

/// <summary>A class of its own, so its server's log stays quiet: nothing but the clock may move the board here.</summary>
public sealed class ScheduledLevelTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task A_level_declared_for_later_reaches_the_live_board_when_it_takes_effect_with_nothing_else_recorded_even_with_another_scheduled_after_it()
    {
        var hub = Fixture.Host.Services.GetRequiredService<SituationHub>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await hub.Current(patience.Token);

        // Given level II declared for a city to take effect a few seconds ahead (further ahead, for another city, when the
        // set-up took longer than that on a busy machine), level I scheduled an hour after it, and the live board drawn
        // before the first moment.
        foreach (var (city, ahead) in new[] { ("421200", 5), ("421300", 15), ("420900", 30) })
        {
            // Whole seconds, as the instant is sent.
            var effectiveAt = Instant.FromUnixTimeSeconds((SystemClock.Instance.GetCurrentInstant() + Duration.FromSeconds(ahead)).ToUnixTimeSeconds());
            (await Hubei.Post($"/api/jurisdictions/{city}/response-level",
                new { level = "II", rationale = "Cases rising from tomorrow's count", effectiveAt = effectiveAt.ToString() })).ShouldBe(HttpStatusCode.OK);
            // and a further change scheduled after it: the board must still wake for the nearer one.
            (await Hubei.Post($"/api/jurisdictions/{city}/response-level",
                new { level = "I", rationale = "If the count keeps rising", effectiveAt = (effectiveAt + Duration.FromHours(1)).ToString() })).ShouldBe(HttpStatusCode.OK);
            await Settled();
            var change = hub.NextChange(patience.Token);
            var board = await Board(hub, patience.Token);
            if (SystemClock.Instance.GetCurrentInstant() >= effectiveAt) continue;
            board.ResponseLevels.Should().NotContain(l => l.Jurisdiction == city, "it is not in force yet");

            // When its moment comes, with nothing recorded since, then the hub's followers are woken,
            while (true)
            {
                await change;
                change = hub.NextChange(patience.Token);
                if (SystemClock.Instance.GetCurrentInstant() >= effectiveAt) break;
            }

            // and the board they draw shows it in force.
            (await Board(hub, patience.Token)).ResponseLevels.Should().ContainSingle(l => l.Jurisdiction == city)
                .Which.Level.Should().Be(ResponseLevel.II);
            return;
        }
        Assert.Fail("The set-up never finished before the level's moment, even 30 s ahead.");
    }

    private static async Task<SituationBoard> Board(SituationHub hub, CancellationToken ct) =>
        SituationBoard.Of(await hub.Current(ct), "000000", SystemClock.Instance.GetCurrentInstant());
}
