using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace EmergencyCommand.Server.Auth;

/// <summary>Who may sign in (configured users, and the demo users with the demo configuration) and the bearer tokens they get.</summary>
public sealed class AuthModule : IModule
{
    public void Register(ModuleBuilder module) => module.Services((services, config) =>
    {
        services.Configure<AuthOptions>(config.GetSection("Auth"));
        services.Configure<DemoOptions>(config.GetSection("Demo"));
        services.AddSingleton(sp =>
        {
            var auth = sp.GetRequiredService<IOptions<AuthOptions>>().Value;
            var demo = sp.GetRequiredService<IOptions<DemoOptions>>().Value;
            return new UserDirectory(demo.Enabled ? auth.Users.Concat(demo.Users) : auth.Users);
        });

        var auth = config.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        if (System.Text.Encoding.UTF8.GetByteCount(auth.SigningKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be set to at least 32 bytes (environment variable Auth__SigningKey).");

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = auth.Issuer,
                ValidAudience = auth.Issuer,
                IssuerSigningKey = SignInEndpoint.SigningKey(auth),
                NameClaimType = ActorClaims.Name,
                RoleClaimType = ActorClaims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            // A browser's EventSource cannot send headers: the live stream alone takes the token from the query.
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = c =>
                {
                    if (c.Request.Path.StartsWithSegments("/api/situation/live") && c.Request.Query["access_token"].FirstOrDefault() is { Length: > 0 } token)
                        c.Token = token;
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorization();
    });
}
