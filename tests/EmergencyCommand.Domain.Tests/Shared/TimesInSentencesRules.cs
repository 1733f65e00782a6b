using System.Collections;
using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Domain.Supplies;
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
    public void No_sentence_writes_an_instant_in_UTC()
    {
        // Given every fact every narrative tells, each built with every instant at 02:00 UTC
        var narrative = Narrative.Combine([IncidentNarrative.Facts, ResponseLevelNarrative.Facts, GreenChannelNarrative.Facts, UserNarrative.Facts,
            SupplyNarrative.Facts, ShipmentNarrative.Facts]);
        var told = narrative.EventTypes.Select(t => (Type: t, Sentence: narrative.Summarize(Build(t)))).ToList();

        // Then none says 02:00 as UTC, and those with a time in them say it in Beijing time
        told.Should().NotBeEmpty();
        told.Where(t => t.Sentence.Contains("02:00:00Z") || t.Sentence.Contains("02:00Z")).Select(t => t.Type.Name).Should().BeEmpty();
        told.Where(t => t.Sentence.Contains("2020-01-23")).Should().OnlyContain(t => t.Sentence.Contains("2020-01-23 10:00 +08:00"));
        told.Select(t => t.Type).Should().Contain([typeof(TaskDispatched), typeof(PassIssued), typeof(SupplyRequested), typeof(UserLockedOut)]);
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

    /// <summary>A fact through its widest constructor: instants at <see cref="TenInBeijing"/>, texts "x", lists empty.</summary>
    private static object Build(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => Value(p.ParameterType)).ToArray());
    }

    private static object? Value(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(Instant)) return TenInBeijing;
        if (plain == typeof(string)) return "x";
        if (plain == typeof(Guid)) return Guid.Empty;
        if (plain.IsEnum) return Enum.GetValues(plain).GetValue(0);
        if (plain.IsPrimitive || plain == typeof(decimal)) return Convert.ChangeType(1, plain, System.Globalization.CultureInfo.InvariantCulture);
        if (plain.IsArray) return Array.CreateInstance(plain.GetElementType()!, 0);
        if (plain.IsGenericType && typeof(IEnumerable).IsAssignableFrom(plain))
        {
            var arguments = plain.GetGenericArguments();
            var concrete = arguments.Length == 2 ? typeof(Dictionary<,>).MakeGenericType(arguments) : typeof(List<>).MakeGenericType(arguments);
            return Activator.CreateInstance(concrete);
        }
        return Build(plain);
    }
}
