using System.Security.Claims;
using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Platform;

/// <summary>The claims an access token carries about its holder, and the actor they make.</summary>
public static class ActorClaims
{
    public const string Name = "name";
    public const string Role = "role";
    public const string Jurisdiction = "jurisdiction";

    public static Actor? ToActor(this ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var roles = principal.FindAll(Role).Select(c => Enum.TryParse<Role>(c.Value, out var r) ? (Role?)r : null)
            .OfType<Role>().ToList();
        return new Actor(principal.FindFirst(Name)?.Value ?? "unknown", roles, principal.FindAll(Jurisdiction).Select(c => c.Value).ToList());
    }
}
