using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Every module's registrations, read once at start-up: the facts the store knows, how each is told (for timelines,
/// reviews and the decision log) and the timers each sets.
/// </summary>
public sealed class Modules
{
    private readonly Dictionary<Type, Func<object, IEnumerable<Scheduled>>> _timers;
    private readonly Dictionary<string, string[]> _personal;

    public Modules(IEnumerable<IModule> modules)
    {
        Registered = modules.Select(m =>
        {
            var builder = new ModuleBuilder(m);
            m.Register(builder);
            return builder;
        }).ToList();
        Narrative = Narrative.Combine(Registered.SelectMany(m => m.Narratives));
        _timers = Registered.SelectMany(m => m.Timers).ToDictionary(t => t.Key, t => t.Value);
        _personal = Registered.SelectMany(m => m.Personal).ToDictionary(p => p.Key.Name, p => p.Value);
    }

    public IReadOnlyList<ModuleBuilder> Registered { get; }

    /// <summary>Every fact's sentence and reason, whichever feature it belongs to.</summary>
    public Narrative Narrative { get; }

    public IEnumerable<Type> EventTypes => Registered.SelectMany(m => m.EventTypes);

    /// <summary>The deadlines these facts set.</summary>
    public IEnumerable<Scheduled> TimersFor(IEnumerable<object> events) =>
        events.SelectMany(e => _timers.TryGetValue(e.GetType(), out var timers) ? timers(e) : []);

    public bool SetsTimers(Type eventType) => _timers.ContainsKey(eventType);

    /// <summary>The personal fields of a fact, by its type's name as the replay names it.</summary>
    public IReadOnlyList<string> PersonalFields(string typeName) => _personal.GetValueOrDefault(typeName) ?? [];
}
