using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Shared;

/// <summary>Sentences people read (timelines, reviews, refusals) write times as the console does: Beijing time.</summary>
public sealed class TimesInSentencesRules
{
    private static readonly Instant TenInBeijing = Instant.FromUtc(2020, 1, 23, 2, 0);

    [Fact]
    public void An_instant_is_said_in_Beijing_time_with_its_offset_and_seconds_only_when_it_has_them()
    {
        CommandTime.Said(TenInBeijing).Should().Be("2020-01-23 10:00 +08:00");
        CommandTime.Said(Instant.FromUtc(2020, 1, 23, 15, 59, 30)).Should().Be("2020-01-23 23:59:30 +08:00");
        CommandTime.Said(Instant.FromUtc(2020, 1, 23, 16, 0)).Should().Be("2020-01-24 00:00 +08:00");
    }

    [Fact]
    public void A_level_decision_is_told_with_the_time_it_takes_effect_in_Beijing_time()
    {
        // Given a level declared to take effect at 02:00 UTC
        var declared = new ResponseLevelDeclared("420100", ResponseLevel.II, "Cases confirmed", [], TenInBeijing, TenInBeijing - Duration.FromHours(1), "wuhan", Guid.NewGuid());

        // When the timeline tells it, then it says ten o'clock, as the console beside it does
        ResponseLevelNarrative.Facts.Summarize(declared).Should().Be("Level II declared for 420100, effective 2020-01-23 10:00 +08:00");
    }

    [Fact]
    public void A_level_decision_is_told_in_Chinese_to_a_reader_who_asks_for_it()
    {
        // Given Wuhan escalated from level II to level I at ten o'clock Beijing time
        var escalated = new ResponseLevelEscalated("420100", ResponseLevel.II, ResponseLevel.I, "Spreading", [], TenInBeijing, TenInBeijing, "wuhan", Guid.NewGuid());

        // When it is told in Chinese, then the place has its name and the levels are written as in Chinese
        ResponseLevelNarrative.Facts.Summarize(escalated, new ChineseWords())
            .Should().Be("420100 武汉市 应急响应由Ⅱ级提升至Ⅰ级，2020-01-23 10:00 +08:00 生效");
        // and without Chinese words, in English, as the API has always answered
        ResponseLevelNarrative.Facts.Summarize(escalated).Should().Be("420100 escalated II → I, effective 2020-01-23 10:00 +08:00");
    }

    /// <summary>A reader in Chinese, for the rules alone (the server's word list is checked against every fact in its own tests).</summary>
    private sealed class ChineseWords : IWords
    {
        public string Language => "zh";
        public string Of<TEnum>(TEnum value) where TEnum : struct, Enum => $"{typeof(TEnum).Name}.{value}";
    }

    [Fact]
    public void A_pass_refused_for_outliving_its_channel_names_the_channel_end_in_Beijing_time()
    {
        // Given a channel valid until 10:00 Beijing time
        var channelId = Guid.NewGuid();
        var channel = GreenChannel.Replay([new GreenChannelOpened(channelId, "Wuhan–Xiaogan", "420100", "420900", [], TenInBeijing - Duration.FromDays(1), TenInBeijing, [], "420100", TenInBeijing - Duration.FromDays(1))]);

        // When a pass is asked for an hour beyond it
        var refusal = GreenChannelDecisions.IssuePass(channel!, Guid.NewGuid(), "hash", "鄂A12345", "Li", [], TenInBeijing + Duration.FromHours(1), TenInBeijing - Duration.FromHours(2)).Violation!;

        // Then the refusal names the channel's end as the console shows it
        refusal.Rule.Should().Be("pass-within-channel");
        refusal.Detail.Should().Contain("valid until 2020-01-23 10:00 +08:00");
    }
}
