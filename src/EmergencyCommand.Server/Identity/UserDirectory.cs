using System.Collections.Concurrent;
using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// Who the users are, from the directory's documents. Every request's token or cookie is checked against it (a disabled
/// user is refused, changed roles and jurisdictions apply at once); what it says is kept for a few seconds per user, and
/// forgotten at once in this process when a command changes the user.
/// </summary>
public sealed class UserDirectory(IDocumentStore store, IOptions<AuthOptions> options, IClock clock)
{
    private readonly ConcurrentDictionary<string, (UserAccount? User, Instant At)> _recent = new();
    private readonly TaskCompletionSource _bootstrapped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Duration CacheFor => Duration.FromSeconds(options.Value.DirectoryCacheSeconds);

    /// <summary>Completes once the configured (and demo) users are registered.</summary>
    public Task Bootstrapped => _bootstrapped.Task;

    public void MarkBootstrapped() => _bootstrapped.TrySetResult();

    /// <summary>The user as the directory knew them at most a few seconds ago; null for a name it does not know.</summary>
    public async Task<UserAccount?> Find(string username, CancellationToken ct)
    {
        var key = Usernames.Normalize(username);
        var now = clock.GetCurrentInstant();
        if (_recent.TryGetValue(key, out var recent) && now - recent.At < CacheFor) return recent.User;
        await using var session = store.QuerySession();
        var user = await session.LoadAsync<UserAccount>(UserAccountProjection.StreamId(key), ct);
        _recent[key] = (user, now);
        return user;
    }

    /// <summary>The user and their password hash, read now (signing in never acts on what was cached).</summary>
    public async Task<(UserAccount? User, string? Hash)> ForSignIn(string username, CancellationToken ct)
    {
        if (Usernames.Problem(username) is not null) return (null, null);
        var id = UserAccountProjection.StreamId(username);
        await using var session = store.QuerySession();
        var user = await session.LoadAsync<UserAccount>(id, ct);
        var credential = user is null ? null : await session.LoadAsync<Credential>(id, ct);
        return (user, credential?.Hash);
    }

    /// <summary>A command changed this user: the next request reads them afresh.</summary>
    public void Forget(string username) => _recent.TryRemove(Usernames.Normalize(username), out _);

    /// <summary>The commander closest to <paramref name="jurisdiction"/>: the most local enabled one whose jurisdiction covers it.</summary>
    public async Task<string?> CommanderFor(string jurisdiction, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var commanders = await session.Query<UserAccount>().Where(u => u.Roles.Contains(Role.Commander) && !u.Disabled).ToListAsync(ct);
        return commanders
            .SelectMany(u => u.Jurisdictions.Where(j => Jurisdictions.Covers(j, jurisdiction)).Select(j => (u.Username, Level: Jurisdictions.LevelOf(j))))
            .OrderByDescending(x => x.Level).ThenBy(x => x.Username, StringComparer.Ordinal)
            .Select(x => x.Username)
            .FirstOrDefault();
    }
}
