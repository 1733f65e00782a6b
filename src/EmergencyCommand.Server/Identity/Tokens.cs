using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NodaTime;

namespace EmergencyCommand.Server.Identity;

/// <summary>What signing in and refreshing answer: a short-lived access token and the refresh token that replaces it.</summary>
public sealed record TokenResponse(
    string AccessToken, int ExpiresIn, string RefreshToken, string TokenType, Instant ExpiresAt, IReadOnlyList<Role> Roles,
    IReadOnlyList<string> Jurisdictions);

/// <summary>
/// A refresh token, known by the SHA-256 of its value (the value itself is shown once, to its holder). Each use replaces
/// it with a new one of the same family (the sign-in); using one twice means it was stolen, and the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public string Id { get; set; } = "";
    /// <summary>The sign-in's id.</summary>
    public Guid Family { get; set; }
    public string Username { get; set; } = "";
    /// <summary>When the sign-in began: no refresh carries it past a shift from then.</summary>
    public Instant SignedInAt { get; set; }
    /// <summary>The user's <see cref="UserAccount.SignInsEnded"/> when the sign-in began.</summary>
    public int Generation { get; set; }
    public Instant IssuedAt { get; set; }
    public Instant ExpiresAt { get; set; }
    public Instant? UsedAt { get; set; }
    public Instant? RevokedAt { get; set; }
}

/// <summary>
/// Issues access tokens (at most 15 minutes, signed with the current key, its id in the header, naming their sign-in)
/// and rotates refresh tokens.
/// </summary>
public sealed class Tokens(SigningKeys keys, IOptions<AuthOptions> options, IDocumentStore store, SignIns signIns, IClock clock, ILogger<Tokens> log)
{
    private AuthOptions Options => options.Value;

    private Duration AccessLifetime => Duration.FromMinutes(Math.Clamp(Options.AccessTokenMinutes, 1, 15));

    /// <summary>A fresh sign-in: a new family of refresh tokens.</summary>
    public Task<TokenResponse> Issue(UserAccount user, CancellationToken ct) => Issue(user, signIns.Begin(user), null, ct);

    /// <summary>
    /// A refresh: the token must be known, unused, unrevoked and unexpired, and its sign-in must still hold (its user
    /// enabled, their password unchanged since, begun less than a shift ago). A token used a second time revokes its
    /// whole family (whoever holds the newer one is cut off too, and signs in again).
    /// </summary>
    public async Task<TokenResponse> Refresh(string refreshToken, UserDirectory directory, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        await using var session = store.LightweightSession();
        var token = await session.LoadAsync<RefreshToken>(Hash(refreshToken), ct) ?? throw Refused("This refresh token is not known.");
        if (token.UsedAt is not null || token.RevokedAt is not null)
        {
            await End(token, ct);
            throw Refused(token.RevokedAt is not null ? "This refresh token was revoked; sign in again."
                : "This refresh token was already used: every token of this sign-in is now revoked; sign in again.");
        }
        if (token.ExpiresAt <= now) throw Refused("This refresh token has expired; sign in again.");
        if (token.SignedInAt == default) throw Refused("This refresh token was issued before sign-ins were tracked; sign in again.");
        var user = await directory.Find(token.Username, ct);
        var signIn = new SignInSession(token.Family, token.SignedInAt, token.Generation);
        var refusal = await signIns.Refusal(signIn, user, ct);
        if (refusal is not null || user is null) throw Refused(refusal ?? "This user may no longer sign in.");
        token.UsedAt = now;
        session.Store(token);
        try
        {
            return await Issue(user, signIn, session, ct);
        }
        catch (Exception e) when (Attempts.IsLostRace(e))
        {
            // Another request used the same token at the same moment: one of them is a thief.
            await End(token, ct);
            throw Refused("This refresh token was already used: every token of this sign-in is now revoked; sign in again.");
        }
    }

    /// <summary>
    /// Signing out: the refresh token's whole family stops working, and so do the sign-in's access tokens. An unknown
    /// token changes nothing.
    /// </summary>
    public async Task Revoke(string refreshToken, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<RefreshToken>(Hash(refreshToken), ct) is { } token) await End(token, ct);
    }

    /// <summary>
    /// The token's sign-in ends: its access tokens at once (first, so that nothing after can leave it alive), then every
    /// refresh token of its family.
    /// </summary>
    private async Task End(RefreshToken token, CancellationToken ct)
    {
        await signIns.End(token.Family, token.Username, ct);
        await RevokeFamily(token.Family, ct);
    }

    private async Task<TokenResponse> Issue(UserAccount user, SignInSession signIn, IDocumentSession? session, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var expiresAt = now + AccessLifetime;
        var refresh = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var owned = session is null;
        session ??= store.LightweightSession();
        try
        {
            session.Insert(new RefreshToken
            {
                Id = Hash(refresh), Family = signIn.Id, Username = user.Username, SignedInAt = signIn.At, Generation = signIn.Generation,
                IssuedAt = now, ExpiresAt = signIn.At + signIns.Lifetime,
            });
            await session.SaveChangesAsync(ct);
        }
        finally
        {
            if (owned) await session.DisposeAsync();
        }
        return new TokenResponse(AccessToken(user, signIn, expiresAt), (int)AccessLifetime.TotalSeconds, refresh, "Bearer", expiresAt, user.Roles,
            user.Jurisdictions);
    }

    /// <summary>
    /// An access token alone (no refresh token): what the console mints for its own calls on behalf of a user signed in
    /// with a cookie, in that cookie's sign-in (so it ends with it).
    /// </summary>
    public (string Token, Instant ExpiresAt) AccessTokenFor(UserAccount user, SignInSession signIn)
    {
        var expiresAt = clock.GetCurrentInstant() + AccessLifetime;
        return (AccessToken(user, signIn, expiresAt), expiresAt);
    }

    private string AccessToken(UserAccount user, SignInSession signIn, Instant expiresAt) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Options.Issuer,
        Audience = Options.Issuer,
        Subject = Principals.Identity(user, "Bearer", [new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString()), .. signIn.Claims()]),
        IssuedAt = clock.GetCurrentInstant().ToDateTimeUtc(),
        NotBefore = clock.GetCurrentInstant().ToDateTimeUtc(),
        Expires = expiresAt.ToDateTimeUtc(),
        SigningCredentials = keys.Credentials,
    });

    private async Task RevokeFamily(Guid family, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        for (var attempt = 1; attempt <= Attempts.Max; attempt++)
        {
            await using var session = store.LightweightSession();
            var tokens = await session.Query<RefreshToken>().Where(t => t.Family == family && t.RevokedAt == null).ToListAsync(ct);
            foreach (var token in tokens)
            {
                token.RevokedAt = now;
                session.Store(token);
            }
            try
            {
                await session.SaveChangesAsync(ct);
                log.LogWarning("Refresh token family {Family} revoked ({Count} tokens)", family, tokens.Count);
                return;
            }
            catch (Exception e) when (Attempts.IsLostRace(e) && attempt < Attempts.Max)
            {
                // A token of the family changed meanwhile (used, or revoked by a simultaneous reuse): read them again.
            }
        }
    }

    private static ProblemException Refused(string detail) => new(401, "Unauthorized", detail);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>A signed-in user as claims: name, roles and jurisdictions as the directory has them now (and, given, their sign-in).</summary>
public static class Principals
{
    public static ClaimsIdentity Identity(UserAccount user, string scheme, IEnumerable<Claim>? extra = null)
    {
        var claims = new List<Claim> { new(ActorClaims.Name, user.Username) };
        claims.AddRange(user.Roles.Select(r => new Claim(ActorClaims.Role, r.ToString())));
        claims.AddRange(user.Jurisdictions.Select(j => new Claim(ActorClaims.Jurisdiction, j)));
        if (extra is not null) claims.AddRange(extra);
        return new ClaimsIdentity(claims, scheme, ActorClaims.Name, ActorClaims.Role);
    }
}
