using System.Collections;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using EmergencyCommand.Server.Ui;
using NodaTime;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>
/// Every fact the product records is told in both languages, with the console's own words for its enum values, and
/// with any time in it in Beijing time, as the console shows times beside it.
/// </summary>
public sealed class NarrativeConventionTests
{
    private static readonly Instant TenInBeijing = Instant.FromUtc(2020, 1, 23, 2, 0);
    private static readonly Modules Modules = new(ServerSetup.Features);

    [Fact]
    public void Every_fact_is_told_in_English_and_in_Chinese_with_times_in_Beijing_time()
    {
        // Given every fact the modules tell, each built with every instant at 02:00 UTC, once with every optional text
        // and flag set and once without (a refused check, a close with no waiver, an escalation to nobody)
        var facts = Modules.Narrative.EventTypes.SelectMany(t => new[] { Build(t, filled: true), Build(t, filled: false) }).ToList();
        facts.Should().HaveCountGreaterThan(80);

        // When each is told in English and in Chinese (the console's word list)
        var english = facts.Select(f => (Fact: f.GetType().Name, Sentence: Modules.Narrative.Summarize(f))).ToList();
        var chinese = facts.Select(f => (Fact: f.GetType().Name, Sentence: Modules.Narrative.Summarize(f, new Texts()))).ToList();

        // Then no sentence says 02:00 as UTC; a sentence with the day in it says ten o'clock Beijing time
        english.Concat(chinese).Where(t => t.Sentence.Contains("02:00:00Z") || t.Sentence.Contains("02:00Z")).Should().BeEmpty();
        english.Concat(chinese).Where(t => t.Sentence.Contains("2020-01-23")).Should().OnlyContain(t => t.Sentence.Contains("2020-01-23 10:00 +08:00"));
        // and every Chinese sentence is Chinese, with no word the console's list lacks ("[IncidentCategory.X]")
        chinese.Where(t => !t.Sentence.Any(c => c is >= '\u4e00' and <= '\u9fff')).Select(t => t.Fact).Should().BeEmpty();
        chinese.Where(t => t.Sentence.Contains('[')).Should().BeEmpty();
        english.Where(t => t.Sentence.Any(c => c is >= '\u4e00' and <= '\u9fff')).Select(t => t.Fact).Should().BeEmpty("the API's default stays English");
        // and an English sentence says an enum value in words ("public health"), never as its identifier
        var identifiers = Modules.Narrative.EventTypes.SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
            .Select(p => Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType)
            .SelectMany(t => t.IsEnum ? [t] : t.IsGenericType ? t.GetGenericArguments().Where(a => a.IsEnum) : [])
            .SelectMany(Enum.GetNames).Where(n => n.Skip(1).Any(char.IsUpper)).ToHashSet();
        identifiers.Should().Contain("PublicHealth");
        english.Where(t => identifiers.Any(t.Sentence.Contains)).Should().BeEmpty();
    }

    /// <summary>
    /// A fact through its widest constructor: instants at <see cref="TenInBeijing"/>, texts "x", lists empty; flags true
    /// and optional values present when <paramref name="filled"/>, flags false and optional values null otherwise.
    /// </summary>
    private static object Build(Type type, bool filled)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var nullability = new System.Reflection.NullabilityInfoContext();
        return constructor.Invoke(constructor.GetParameters()
            .Select(p => !filled && (Nullable.GetUnderlyingType(p.ParameterType) is not null
                                     || nullability.Create(p).WriteState == System.Reflection.NullabilityState.Nullable)
                ? null
                : Value(p.ParameterType, filled))
            .ToArray());
    }

    private static object? Value(Type type, bool filled)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(bool)) return filled;
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
        return Build(plain, filled);
    }
}
