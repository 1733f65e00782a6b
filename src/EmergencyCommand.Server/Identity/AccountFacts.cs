using EmergencyCommand.Domain.Identity;
using Marten;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// What happened to user accounts (registered, roles, areas, disablings and their reasons, lock-outs, password changes):
/// for the user, the administrators over them and reviewers. Everywhere the log is read (a stream's changes, the replay,
/// a jurisdiction review, the decision log) other readers go without them.
/// </summary>
public static class AccountFacts
{
    public static readonly IReadOnlyList<Type> Types = typeof(IUserEvent).Assembly.GetTypes()
        .Where(t => typeof(IUserEvent).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false }).ToList();

    /// <summary>The facts by their type names, as the decision log records them.</summary>
    public static readonly string[] Names = Types.Select(t => t.Name).ToArray();

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDocumentStore, string[]> Stored = new();

    /// <summary>The facts by the names the event store gives them (its <c>type</c> column), worked out once per store.</summary>
    public static string[] StoredNames(IDocumentStore store) => Stored.GetValue(store, s => s.Options.Events.AllKnownEventTypes()
        .Where(t => typeof(IUserEvent).IsAssignableFrom(t.EventType)).Select(t => t.EventTypeName).ToArray());
}
