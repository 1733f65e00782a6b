using System.Text.Json.Nodes;
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
    private readonly ILookup<string, (string Field, Func<string?, string> Mask)> _secrets;

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
        _secrets = Registered.SelectMany(m => m.Secrets).ToLookup(s => s.Event.Name, s => (s.Field, s.Mask));
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

    /// <summary>Whether facts of this type (by name, as the replay names it) have fields nobody may read back.</summary>
    public bool HasSecrets(string typeName) => _secrets.Contains(typeName);

    /// <summary>The fact's data with its secret fields masked: what every read of the raw log shows.</summary>
    public JsonNode? WithoutSecrets(string typeName, JsonNode? data)
    {
        if (!_secrets.Contains(typeName) || data is not JsonObject json) return data;
        var present = _secrets[typeName].Where(s => json[s.Field] is not null).ToList();
        if (present.Count == 0) return data;
        var masked = json.DeepClone().AsObject();
        foreach (var (field, mask) in present) masked[field] = mask(masked[field]?.ToString());
        return masked;
    }

    /// <summary>The fact's type name as the replay gives it, from a raw row's .NET type (or its alias).</summary>
    public static string TypeName(string? dotnetType, string alias) => (dotnetType ?? alias).Split(',')[0].Split('.', '+')[^1];
}
