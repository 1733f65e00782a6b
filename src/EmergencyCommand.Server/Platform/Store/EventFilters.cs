using JasperFx.Events.Projections;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Which facts a projection takes. Marten filters what an async shard or a rebuild reads in SQL only when every type a
/// projection includes is concrete: a single interface among them, and it reads and deserialises the whole log to find
/// its few events (a depot's documents took as long to rebuild over 1M events as the incidents'). So a projection names
/// its stream's marker interface here and is given the concrete facts behind it.
/// </summary>
public static class EventFilters
{
    public static void IncludeFactsOf<TMarker>(this EventFilterable projection)
    {
        var facts = typeof(TMarker).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(TMarker).IsAssignableFrom(t)).ToList();
        if (facts.Count == 0) throw new InvalidOperationException($"No fact implements {typeof(TMarker).Name}.");
        foreach (var fact in facts) projection.IncludeType(fact);
    }

    /// <summary>Whether Marten can select the projection's events in SQL: it names them, and every one is concrete.</summary>
    public static bool FiltersInSql(this EventFilterable projection) =>
        projection.IncludedEventTypes.Count > 0 && projection.IncludedEventTypes.All(t => t is { IsAbstract: false, IsInterface: false });
}
