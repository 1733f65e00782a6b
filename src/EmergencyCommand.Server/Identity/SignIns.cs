using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// One sign-in with a password, by an API client or a browser: its id, when it began, and the user's
/// <see cref="UserAccount.SignInsEnded"/> at that moment. Every access token, refresh token and session cookie of the
/// sign-in carries it, and each request is checked against it.
/// </summary>
public sealed record SignInSession(Guid Id, Instant At, int Generation)
{
    public const string IdClaim = "sid";
    public const string AtClaim = "auth_time";
    public const string GenerationClaim = "signins_ended";

    public IEnumerable<Claim> Claims() =>
    [
        new(IdClaim, Id.ToString()),
        new(AtClaim, At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        new(GenerationClaim, Generation.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
    ];

    /// <summary>The sign-in a token or cookie belongs to; null when it names none (minted before sign-ins were tracked).</summary>
    public static SignInSession? Of(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst(IdClaim)?.Value, out var id)
        && long.TryParse(principal.FindFirst(AtClaim)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
        && at >= Instant.MinValue.ToUnixTimeSeconds() && at <= Instant.MaxValue.ToUnixTimeSeconds()
        && int.TryParse(principal.FindFirst(GenerationClaim)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation)
            ? new SignInSession(id, Instant.FromUnixTimeSeconds(at), generation)
            : null;
}

/// <summary>A sign-in ended by signing out: kept so that a copy of its cookie or of its access tokens stops working too.</summary>
public sealed class EndedSignIn
{
    public Guid Id { get; set; }
    public string Username { get; set; } = "";
    /// <summary>A DateTimeOffset, not an Instant: the database compares it when old ones are forgotten.</summary>
    public DateTimeOffset EndedAt { get; set; }
}

/// <summary>
/// When a sign-in holds. It ends when its user signs out, when their password changes or they are disabled (every
/// sign-in of theirs at once), and at the latest a shift (<see cref="AuthOptions.RefreshTokenHours"/>) after it began,
/// however often it was refreshed. Whether one was signed out is kept for a few seconds per sign-in, and known at once
/// in the process that ended it.
/// </summary>
public sealed class SignIns(IDocumentStore store, UserDirectory directory, IOptions<AuthOptions> options, IClock clock)
{
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<Guid, (bool Ended, Instant At)> _recent = new();

    public Duration Lifetime => Duration.FromHours(options.Value.RefreshTokenHours);

    public SignInSession Begin(UserAccount user) => new(Guid.CreateVersion7(), clock.GetCurrentInstant(), user.SignInsEnded);

    /// <summary>
    /// The one check of a presented token, cookie or console circuit: the signed-in user as the directory has them now
    /// (roles and jurisdictions read afresh, at most a few seconds old), in the same sign-in; null when it no longer holds.
    /// </summary>
    public async Task<ClaimsPrincipal?> AsTheDirectoryHasThem(ClaimsPrincipal? presented, string scheme, CancellationToken ct)
    {
        if (presented?.FindFirst(ActorClaims.Name)?.Value is not { } name) return null;
        await directory.Bootstrapped.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var user = await directory.Find(name, ct);
        var session = SignInSession.Of(presented);
        if (user is null || session is null || await Refusal(session, user, ct) is not null) return null;
        return new ClaimsPrincipal(Principals.Identity(user, scheme, session.Claims()));
    }

    /// <summary>Why the sign-in no longer holds for <paramref name="user"/> (as the directory has them now); null while it holds.</summary>
    public async Task<string?> Refusal(SignInSession? session, UserAccount? user, CancellationToken ct)
    {
        if (user is null) return "This sign-in's user is not in the directory.";
        if (user.Disabled) return "This sign-in's user is disabled.";
        if (session is null) return "This token or cookie names no sign-in; sign in again.";
        // A sign-in newer than what this process last read of its user holds: the read is a few seconds old.
        if (session.Generation < user.SignInsEnded)
            return "Every sign-in of this user was ended (the password changed, or the user was disabled); sign in again.";
        if (session.At + Lifetime <= clock.GetCurrentInstant())
            return $"This sign-in began more than {options.Value.RefreshTokenHours} hours ago; sign in again.";
        return await HasEnded(session.Id, ct) ? "This sign-in was ended by signing out; sign in again." : null;
    }

    /// <summary>
    /// Signing out: the sign-in's cookie and access tokens stop working wherever they were copied (at once in this
    /// process, within <see cref="AuthOptions.DirectoryCacheSeconds"/> in another). Sign-ins ended more than a shift ago
    /// are forgotten meanwhile: they could no longer hold anyway.
    /// </summary>
    public async Task End(Guid id, string username, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        await using var session = store.LightweightSession();
        session.Store(new EndedSignIn { Id = id, Username = username, EndedAt = now.ToDateTimeOffset() });
        var expired = (now - Lifetime).ToDateTimeOffset();
        session.DeleteWhere<EndedSignIn>(e => e.EndedAt < expired);
        await session.SaveChangesAsync(ct);
        Remember(id, true);
    }

    private async Task<bool> HasEnded(Guid id, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        if (_recent.TryGetValue(id, out var recent) && (recent.Ended || now - recent.At < Duration.FromSeconds(options.Value.DirectoryCacheSeconds)))
            return recent.Ended;
        await using var session = store.QuerySession();
        var ended = await session.LoadAsync<EndedSignIn>(id, ct) is not null;
        Remember(id, ended);
        return ended;
    }

    private void Remember(Guid id, bool ended)
    {
        // Forgetting costs one read per sign-in; it keeps a flood of sign-ins from growing the memory.
        if (_recent.Count >= MaxRemembered) _recent.Clear();
        // A read that began before the sign-in was ended must not put it back as holding.
        var now = clock.GetCurrentInstant();
        _recent.AddOrUpdate(id, (ended, now), (_, known) => known.Ended ? known : (ended, now));
    }
}
