using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Identity;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public static class SignInEndpoint
{
    public static ProblemDetails Validate(TokenRequest? request) => request is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("username", request.Username, 100).Require("password", request.Password, 200).ToProblem();

    /// <summary>Signs an API client in: a 15-minute access token and a refresh token.</summary>
    [AllowAnonymous]
    [WolverinePost("/api/auth/token", OperationId = "SignIn")]
    public static async Task<TokenResponse> Post(TokenRequest request, HttpContext http, SignInCheck check, Tokens tokens, CancellationToken ct) =>
        await tokens.Issue(await check.Verify(request.Username!, request.Password!, http, ct), ct);
}

/// <summary>
/// Whether a user name and password may sign in, the same way for API clients (tokens) and browsers (a cookie): a wrong
/// password and an unknown user get the same answer after the same work; too many failures for a user name or from an
/// address get 429 with Retry-After, and the user's lock-out is recorded.
/// </summary>
public sealed class SignInCheck(UserDirectory directory, Passwords passwords, SignInThrottle throttle, IServiceProvider services, IClock clock)
{
    // One attempt at a time per user name: checked, verified and counted before the next is checked, so guesses sent
    // all at once cannot all pass the check before the first failure is counted. A fixed set of turns, shared by names
    // with the same hash, so that a flood of made-up names cannot grow it.
    private readonly SemaphoreSlim[] _turns = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<UserAccount> Verify(string username, string password, HttpContext http, CancellationToken ct)
    {
        await directory.Bootstrapped.WaitAsync(TimeSpan.FromSeconds(30), ct);
        username = username.Trim().ToLowerInvariant();
        var turn = _turns[(StringComparer.Ordinal.GetHashCode(username) & int.MaxValue) % _turns.Length];
        await turn.WaitAsync(ct);
        try
        {
            return await VerifyInTurn(username, password, http, ct);
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task<UserAccount> VerifyInTurn(string username, string password, HttpContext http, CancellationToken ct)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.WaitBeforeTrying(username, address) is { } wait)
            throw ProblemException.TooManyAttempts("Too many failed sign-ins for this user or from this address; wait and try again.", wait);

        var (user, hash) = await directory.ForSignIn(username, ct);
        var matches = passwords.Verify(hash, password);
        var now = clock.GetCurrentInstant();
        if (user is { LockedUntil: { } until } && until > now)
            throw ProblemException.TooManyAttempts("This user is locked out after too many failed sign-ins; wait and try again.", (until - now).ToTimeSpan());
        if (!matches || user is null)
        {
            if (throttle.Failed(username, address) && user is not null) await LockOut(user, now, ct);
            throw new ProblemException(401, "Unauthorized", "Unknown user name or wrong password.");
        }
        return user.Disabled ? throw new ProblemException(401, "Unauthorized", "This user is disabled.") : user;
    }

    private async Task LockOut(UserAccount user, Instant now, CancellationToken ct)
    {
        var until = now + Duration.FromTimeSpan(throttle.Window);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EventStreams>().Append<UserAccount>(CommandContext.Server(), user.Id, [Role.System],
            (current, at) => UserDecisions.LockOut(current, throttle.MaxFailures, until, at), ct);
    }
}

/// <summary>Refreshing and signing out, both with a refresh token.</summary>
public static class RefreshTokenEndpoints
{
    public static ProblemDetails Validate(RefreshRequest? request) => request is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("refreshToken", request.RefreshToken, 200).ToProblem();

    /// <summary>A new pair for a refresh token; the old one stops working, and using it again revokes every token of its sign-in.</summary>
    [AllowAnonymous]
    [WolverinePost("/api/auth/refresh", OperationId = "RefreshToken")]
    public static Task<TokenResponse> Refresh(RefreshRequest request, Tokens tokens, UserDirectory directory, CancellationToken ct) =>
        tokens.Refresh(request.RefreshToken!.Trim(), directory, ct);

    /// <summary>Signs out: the refresh token and every token of its sign-in stop working.</summary>
    [AllowAnonymous]
    [WolverinePost("/api/auth/sign-out", OperationId = "SignOut")]
    public static async Task<IResult> SignOut(RefreshRequest request, Tokens tokens, CancellationToken ct)
    {
        await tokens.Revoke(request.RefreshToken!.Trim(), ct);
        return Results.NoContent();
    }
}
