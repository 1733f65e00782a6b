namespace EmergencyCommand.Domain.Shared;

/// <summary>Every fact the system records. Each stream's events share a narrower marker (<c>IIncidentEvent</c>…).</summary>
public interface IDomainEvent;

/// <summary>
/// The words a sentence in the reader's language needs beyond its own: an enum value's name (the console's word list,
/// <c>Texts</c>, is the one place they are kept).
/// </summary>
public interface IWords
{
    /// <summary>"zh" or "en".</summary>
    string Language { get; }

    string Of<TEnum>(TEnum value) where TEnum : struct, Enum;
}

/// <summary>
/// A feature's facts, each told in one plain sentence, in English (what the API answers by default) and in Chinese (for
/// a reader who asks for it), with the reason a person gave, if any: what timelines, reviews and the decision log show.
/// Each feature keeps one beside its events; an event type missing from every narrative is caught by a convention test,
/// so nothing is shown as a bare type name by accident, and a fact cannot be told in one language only.
/// </summary>
public sealed class Narrative
{
    private sealed record Entry(Func<object, string> English, Func<object, IWords, string> Chinese, Func<object, string?> Why);

    private readonly Dictionary<Type, Entry> _entries = new();

    public Narrative On<TEvent>(Func<TEvent, string> english, Func<TEvent, IWords, string> chinese, Func<TEvent, string?>? why = null)
        where TEvent : IDomainEvent
    {
        _entries.Add(typeof(TEvent), new Entry(e => english((TEvent)e), (e, words) => chinese((TEvent)e, words),
            e => why?.Invoke((TEvent)e) is { } reason && !string.IsNullOrWhiteSpace(reason) ? reason : null));
        return this;
    }

    public IReadOnlyCollection<Type> EventTypes => _entries.Keys;

    public bool Tells(Type eventType) => _entries.ContainsKey(eventType);

    /// <summary>The fact in one sentence: in Chinese when <paramref name="words"/> are Chinese, in English otherwise.</summary>
    public string Summarize(object @event, IWords? words = null) =>
        !_entries.TryGetValue(@event.GetType(), out var entry) ? @event.GetType().Name
        : InChinese(words) ? entry.Chinese(@event, words!)
        : entry.English(@event);

    /// <summary>Whether text for a reader with these words is written in Chinese (no words: English, the API's default).</summary>
    public static bool InChinese(IWords? words) => words is { Language: "zh" };

    /// <summary>The rationale, reason, note or outcome the person gave; null when the fact carries none.</summary>
    public string? RationaleOf(object @event) => _entries.TryGetValue(@event.GetType(), out var entry) ? entry.Why(@event) : null;

    public static Narrative Combine(IEnumerable<Narrative> parts)
    {
        var all = new Narrative();
        foreach (var (type, entry) in parts.SelectMany(p => p._entries)) all._entries.Add(type, entry);
        return all;
    }

    /// <summary>An enum value as an English sentence says it: "PublicHealth" is "public health".</summary>
    public static string Words(Enum value) =>
        System.Text.RegularExpressions.Regex.Replace(value.ToString(), "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();

    /// <summary>The sentence's first letter in capitals.</summary>
    public static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>"What: why", or just "What" when no reason was given.</summary>
    public static string Join(string what, string? why) => string.IsNullOrWhiteSpace(why) ? what : $"{what}: {why}";

    /// <summary>"What：why" (a full-width colon), or just "What".</summary>
    public static string JoinZh(string what, string? why) => string.IsNullOrWhiteSpace(why) ? what : $"{what}：{why}";

    /// <summary>A jurisdiction as a Chinese sentence names it: "420100 武汉市", "全国" for the nation.</summary>
    public static string PlaceZh(string code) =>
        code == Jurisdictions.Nation ? "全国" : DivisionNames.ChineseName(code) is { } name ? $"{code} {name}" : code;

    public static string PlacesZh(IEnumerable<string> codes) => string.Join("、", codes.Select(PlaceZh));
}
