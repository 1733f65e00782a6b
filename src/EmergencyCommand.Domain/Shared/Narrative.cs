namespace EmergencyCommand.Domain.Shared;

/// <summary>Every fact the system records. Each stream's events share a narrower marker (<c>IIncidentEvent</c>…).</summary>
public interface IDomainEvent;

/// <summary>
/// A feature's facts, each told in one plain sentence with the reason a person gave, if any: what timelines, reviews
/// and the decision log show. Each feature keeps one beside its events; an event type missing from every narrative is
/// caught by a convention test, so nothing is shown as a bare type name by accident.
/// </summary>
public sealed class Narrative
{
    private readonly Dictionary<Type, (Func<object, string> Summary, Func<object, string?> Why)> _entries = new();

    public Narrative On<TEvent>(Func<TEvent, string> summary, Func<TEvent, string?>? why = null) where TEvent : IDomainEvent
    {
        _entries.Add(typeof(TEvent), (e => summary((TEvent)e), e => why?.Invoke((TEvent)e) is { } reason && !string.IsNullOrWhiteSpace(reason) ? reason : null));
        return this;
    }

    public IReadOnlyCollection<Type> EventTypes => _entries.Keys;

    public bool Tells(Type eventType) => _entries.ContainsKey(eventType);

    public string Summarize(object @event) => _entries.TryGetValue(@event.GetType(), out var entry) ? entry.Summary(@event) : @event.GetType().Name;

    /// <summary>The rationale, reason, note or outcome the person gave; null when the fact carries none.</summary>
    public string? RationaleOf(object @event) => _entries.TryGetValue(@event.GetType(), out var entry) ? entry.Why(@event) : null;

    public static Narrative Combine(IEnumerable<Narrative> parts)
    {
        var all = new Narrative();
        foreach (var (type, entry) in parts.SelectMany(p => p._entries)) all._entries.Add(type, entry);
        return all;
    }

    /// <summary>"What: why", or just "What" when no reason was given.</summary>
    public static string Join(string what, string? why) => string.IsNullOrWhiteSpace(why) ? what : $"{what}: {why}";
}
