using EmergencyCommand.Domain.Shared;
using JasperFx.Events.Projections;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// A feature of the server. It registers what it brings through <see cref="ModuleBuilder"/>: its facts (event types and
/// how each is told), its documents and projections, the timers its facts set, its services and the routes that are not
/// Wolverine endpoints (those are found by Wolverine itself). The composition root lists the modules; nothing below it
/// names a feature.
/// </summary>
public interface IModule
{
    void Register(ModuleBuilder module);
}

/// <summary>What one module registers; read by the event store, the timers, the catalog and the convention tests.</summary>
public sealed class ModuleBuilder
{
    private readonly List<Narrative> _facts = [];
    private readonly Dictionary<Type, Func<object, IEnumerable<Scheduled>>> _timers = new();
    private readonly Dictionary<Type, string[]> _personal = new();
    private readonly List<(Type Event, string Field, Func<string?, string> Mask)> _secrets = [];
    private readonly List<Action<StoreOptions>> _storage = [];
    private readonly List<Action<StoreOptions>> _inline = [];
    private readonly List<Action<IServiceProvider, StoreOptions>> _daemon = [];
    private readonly List<Action<MartenServiceCollectionExtensions.MartenConfigurationExpression>> _marten = [];
    private readonly List<Action<IServiceCollection, IConfiguration>> _services = [];
    private readonly List<Action<IEndpointRouteBuilder>> _routes = [];

    public ModuleBuilder(IModule module)
    {
        Name = module.GetType().Name;
        Feature = module.GetType().Namespace?.Split('.').LastOrDefault() ?? Name;
    }

    public string Name { get; }

    /// <summary>The feature's folder and namespace (Incidents): its endpoints' tag in the OpenAPI document.</summary>
    public string Feature { get; }

    /// <summary>What the feature is for, in a sentence, for people reading the API.</summary>
    public string? About { get; private set; }

    public ModuleBuilder Describe(string about)
    {
        About = about;
        return this;
    }

    /// <summary>The feature's facts: every event type it appends, each with the sentence and the reason that tell it.</summary>
    public ModuleBuilder Facts(Narrative narrative)
    {
        _facts.Add(narrative);
        return this;
    }

    /// <summary>
    /// A deadline this fact sets: <paramref name="message"/> is delivered at <paramref name="at"/> as a durable Wolverine
    /// scheduled message, written in the same transaction as the fact.
    /// </summary>
    public ModuleBuilder Timer<TEvent>(Func<TEvent, object> message, Func<TEvent, Instant> at) where TEvent : IDomainEvent
    {
        _timers.Add(typeof(TEvent), e => [new Scheduled(message((TEvent)e), at((TEvent)e))]);
        return this;
    }

    /// <summary>
    /// Fields of a fact that are personal data (a driver's name, a number plate): reads of the raw log show them only to
    /// readers whose work needs them (<see cref="Reader.SeesPersonalDataOf"/>).
    /// </summary>
    public ModuleBuilder PersonalData<TEvent>(params string[] jsonFields) where TEvent : IDomainEvent
    {
        _personal.Add(typeof(TEvent), jsonFields);
        return this;
    }

    /// <summary>
    /// A field of a fact that nobody may read back (a pass code in events written before codes were hashed): every read of
    /// the raw log (replay, export) shows <paramref name="mask"/> of it instead, whoever reads.
    /// </summary>
    public ModuleBuilder Secret<TEvent>(string jsonField, Func<string?, string> mask) where TEvent : IDomainEvent
    {
        _secrets.Add((typeof(TEvent), jsonField, mask));
        return this;
    }

    /// <summary>Documents, tables and indexes: what the store needs to write, also outside the server (the bench).</summary>
    public ModuleBuilder Storage(Action<StoreOptions> configure)
    {
        _storage.Add(configure);
        return this;
    }

    /// <summary>
    /// A per-stream document kept in the same transaction as the stream's events. The projection names the concrete facts
    /// it takes (<see cref="EventFilters.IncludeFactsOf{TMarker}"/> in its constructor). One that names none is given every
    /// stream a transaction touches and loads its document for each, a round trip per inline projection in every command;
    /// one that names an interface is rebuilt by reading the whole log.
    /// </summary>
    public ModuleBuilder Inline<TProjection>()
        where TProjection : ProjectionBase, IProjectionSource<IDocumentOperations, IQuerySession>, new()
    {
        MustFilterInSql(new TProjection());
        _inline.Add(store => store.Projections.Add<TProjection>(ProjectionLifecycle.Inline, EventStore.Paged));
        return this;
    }

    private static void MustFilterInSql(object projection)
    {
        if (projection is not EventFilterable filterable || !filterable.FiltersInSql())
            throw new InvalidOperationException(
                $"{projection.GetType().Name} must name the concrete facts it takes in its constructor (IncludeFactsOf<…>() or IncludeType<…>() of each fact).");
    }

    /// <summary>
    /// The same, with more storage for its document (an index, a duplicated column). It is applied only where the
    /// projection is: Marten shapes a projected document's table after its projection (numeric revisions), so the
    /// same document configured without it would describe another table, and a store without the inline projections
    /// (the bench's bare store) would try to change it.
    /// </summary>
    public ModuleBuilder Inline<TProjection>(Action<StoreOptions> documentStorage)
        where TProjection : ProjectionBase, IProjectionSource<IDocumentOperations, IQuerySession>, new()
    {
        Inline<TProjection>();
        _inline.Add(documentStorage);
        return this;
    }

    /// <summary>
    /// Documents kept in the same transaction as the events that make them, by a projection over several streams. It
    /// names the facts it takes, as the per-stream ones do.
    /// </summary>
    public ModuleBuilder Inline(Marten.Events.Projections.IProjection projection)
    {
        MustFilterInSql(projection);
        _inline.Add(store => store.Projections.Add(projection, ProjectionLifecycle.Inline, asyncConfiguration: EventStore.Paged));
        return this;
    }

    /// <summary>Async projections kept by the daemon, which may need the server's services.</summary>
    public ModuleBuilder Daemon(Action<IServiceProvider, StoreOptions> configure)
    {
        _daemon.Add(configure);
        return this;
    }

    /// <summary>Marten registrations that take services (subscriptions, projections with services).</summary>
    public ModuleBuilder Marten(Action<MartenServiceCollectionExtensions.MartenConfigurationExpression> configure)
    {
        _marten.Add(configure);
        return this;
    }

    public ModuleBuilder Services(Action<IServiceCollection, IConfiguration> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Routes that are not Wolverine endpoints (a Server-Sent Events stream, say).</summary>
    public ModuleBuilder Routes(Action<IEndpointRouteBuilder> map)
    {
        _routes.Add(map);
        return this;
    }

    public IReadOnlyList<Narrative> Narratives => _facts;
    public IEnumerable<Type> EventTypes => _facts.SelectMany(f => f.EventTypes);
    public IReadOnlyDictionary<Type, Func<object, IEnumerable<Scheduled>>> Timers => _timers;
    public IReadOnlyDictionary<Type, string[]> Personal => _personal;
    public IReadOnlyList<(Type Event, string Field, Func<string?, string> Mask)> Secrets => _secrets;
    public IReadOnlyList<Action<StoreOptions>> StorageConfiguration => _storage;
    public IReadOnlyList<Action<StoreOptions>> InlineProjections => _inline;
    public IReadOnlyList<Action<IServiceProvider, StoreOptions>> DaemonConfiguration => _daemon;
    public IReadOnlyList<Action<MartenServiceCollectionExtensions.MartenConfigurationExpression>> MartenConfiguration => _marten;
    public IReadOnlyList<Action<IServiceCollection, IConfiguration>> ServiceConfiguration => _services;
    public IReadOnlyList<Action<IEndpointRouteBuilder>> RouteMaps => _routes;
}

/// <summary>A message due at an instant.</summary>
public sealed record Scheduled(object Message, Instant At);
