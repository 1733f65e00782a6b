using System.Security.Claims;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// A console circuit lives as long as its tab, long after the request that opened it was checked. Its sign-in is checked
/// again every <see cref="AuthOptions.ConsoleRecheckSeconds"/> by the same rule as every request (<see cref="SignIns"/>);
/// once it no longer holds, the circuit is signed out and its page sends the browser to sign in.
/// </summary>
public sealed class CircuitSignIn(ILoggerFactory logs, SignIns signIns, IOptions<AuthOptions> options)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    private readonly ILogger _log = logs.CreateLogger<CircuitSignIn>();

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, options.Value.ConsoleRecheckSeconds));

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) => StillHolds(state.User, ct);

    /// <remarks>
    /// When the check itself fails (the database away during a failover), the circuit keeps its user: signing every
    /// open console out would lose what people were typing, and each API call the console makes is checked anyway.
    /// </remarks>
    public async Task<bool> StillHolds(ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            return await signIns.AsTheDirectoryHasThem(user, BrowserSession.Scheme, ct) is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "Could not check the console sign-in of {User}; it holds until the next check", user.FindFirst(ActorClaims.Name)?.Value);
            return true;
        }
    }
}
