using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// The user directory (users as event streams: registered, roles, jurisdictions, disabled, passwords, lock-outs), signing
/// in with short-lived access tokens and rotating refresh tokens, and the check of every request against the directory.
/// </summary>
public sealed class IdentityModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Facts(UserNarrative.Facts)
        .Inline<UserAccountProjection>()
        .Storage(store =>
        {
            store.Schema.For<Credential>();
            store.Schema.For<RefreshToken>().UseOptimisticConcurrency(true).Index(t => t.Family);
        })
        .Services((services, config) =>
        {
            services.Configure<AuthOptions>(config.GetSection("Auth"));
            services.Configure<DemoOptions>(config.GetSection("Demo"));
            var auth = config.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
            var keys = SigningKeys.From(auth);
            services.AddSingleton(keys);
            services.AddSingleton<Passwords>();
            services.AddSingleton<UserDirectory>();
            services.AddSingleton<SignInThrottle>();
            services.AddSingleton<Tokens>();
            services.AddHostedService<DirectoryBootstrap>();

            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Issuer,
                    IssuerSigningKeys = keys.All,
                    NameClaimType = ActorClaims.Name,
                    RoleClaimType = ActorClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(5),
                };
                o.Events = new JwtBearerEvents { OnTokenValidated = AgainstTheDirectory };
            });
            services.AddAuthorization();
        });

    /// <summary>
    /// A valid signature is not enough: the user must still be in the directory and enabled, and acts with the roles and
    /// jurisdictions the directory gives them now (read at most a few seconds ago), not those written in the token.
    /// </summary>
    private static async Task AgainstTheDirectory(TokenValidatedContext context)
    {
        var name = context.Principal?.FindFirst(ActorClaims.Name)?.Value;
        var directory = context.HttpContext.RequestServices.GetRequiredService<UserDirectory>();
        await directory.Bootstrapped.WaitAsync(TimeSpan.FromSeconds(30), context.HttpContext.RequestAborted);
        var user = name is null ? null : await directory.Find(name, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled)
        {
            context.Fail(user is null ? "The token's user is not in the directory." : "The token's user is disabled.");
            return;
        }
        context.Principal = new System.Security.Claims.ClaimsPrincipal(Principals.Identity(user, JwtBearerDefaults.AuthenticationScheme));
    }
}
