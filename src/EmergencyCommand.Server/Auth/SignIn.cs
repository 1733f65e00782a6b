using System.Security.Claims;
using System.Text;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Auth;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, Instant ExpiresAt, IReadOnlyList<Role> Roles, IReadOnlyList<string> Jurisdictions);

public static class SignInEndpoint
{
    public static ProblemDetails Validate(TokenRequest? request) => request is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("username", request.Username, 100).Require("password", request.Password, 200).ToProblem();

    [AllowAnonymous]
    [WolverinePost("/api/auth/token", OperationId = "SignIn")]
    public static TokenResponse Post(TokenRequest request, UserDirectory users, IOptions<AuthOptions> options, IClock clock)
    {
        var user = users.SignIn(request.Username!, request.Password!)
                   ?? throw new ProblemException(401, "Unauthorized", "Unknown user name or wrong password.");
        var auth = options.Value;
        var expiresAt = clock.GetCurrentInstant() + Duration.FromMinutes(auth.TokenLifetimeMinutes);

        var claims = new List<Claim> { new(ActorClaims.Name, user.Username), new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString()) };
        claims.AddRange(user.Roles.Select(r => new Claim(ActorClaims.Role, r.ToString())));
        claims.AddRange(user.Jurisdictions.Select(j => new Claim(ActorClaims.Jurisdiction, j)));

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Issuer,
            Subject = new ClaimsIdentity(claims),
            Expires = expiresAt.ToDateTimeUtc(),
            SigningCredentials = new SigningCredentials(SigningKey(auth), SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, expiresAt, user.Roles, user.Jurisdictions);
    }

    public static SymmetricSecurityKey SigningKey(AuthOptions auth) => new(Encoding.UTF8.GetBytes(auth.SigningKey));
}
