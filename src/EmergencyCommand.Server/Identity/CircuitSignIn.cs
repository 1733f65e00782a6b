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
public sealed class CircuitSignIn(ILoggerFactory logs, UserDirectory directory, SignIns signIns, IOptions<AuthOptions> options)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, options.Value.ConsoleRecheckSeconds));

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) => StillHolds(state.User, ct);

    public async Task<bool> StillHolds(ClaimsPrincipal user, CancellationToken ct) =>
        user.FindFirst(ActorClaims.Name)?.Value is { } name && await signIns.Refusal(user, await directory.Find(name, ct), ct) is null;
}
