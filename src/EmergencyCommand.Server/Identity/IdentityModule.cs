using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Authentication;
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
        .Describe("The user directory (users, roles, jurisdictions, passwords), signing in with tokens or a browser session, and refreshing and signing out.")
        .Facts(UserNarrative.Facts)
        .Inline<UserAccountProjection>()
        .Storage(store =>
        {
            store.Schema.For<Credential>();
            store.Schema.For<UserPreferences>();
            store.Schema.For<RefreshToken>().UseOptimisticConcurrency(true).Index(t => t.Family);
            store.Schema.For<EndedSignIn>();
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
            services.AddSingleton<SignIns>();
            services.AddSingleton<Tokens>();
            services.AddSingleton<SignInCheck>();
            services.AddAntiforgery(o =>
            {
                o.HeaderName = BrowserForgery.AntiforgeryHeader;
                o.Cookie.Name = "ec.antiforgery";
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
            services.AddHostedService<DirectoryBootstrap>();

            // A request with a bearer token is an API client's; anything else is a browser with (or without) its cookie.
            services.AddAuthentication(BearerOrCookie)
                .AddPolicyScheme(BearerOrCookie, "Bearer token or session cookie", o => o.ForwardDefaultSelector = http =>
                    http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? JwtBearerDefaults.AuthenticationScheme
                        : BrowserSession.Scheme)
                .AddCookie(BrowserSession.Scheme, o =>
                {
                    o.Cookie.Name = "ec.session";
                    o.Cookie.HttpOnly = true;
                    o.Cookie.SameSite = SameSiteMode.Strict;
                    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                    o.ExpireTimeSpan = TimeSpan.FromHours(auth.RefreshTokenHours);
                    o.SlidingExpiration = true;
                    // The API answers 401 and 403; a page of the console sends the browser to sign in.
                    o.LoginPath = "/signin";
                    o.ReturnUrlParameter = "returnUrl";
                    o.Events.OnRedirectToLogin = c =>
                    {
                        if (c.Request.Path.StartsWithSegments("/api")) c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        else c.Response.Redirect(c.RedirectUri);
                        return Task.CompletedTask;
                    };
                    o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                    o.Events.OnValidatePrincipal = CookieAgainstTheDirectory;
                })
                .AddJwtBearer(o =>
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

    public const string BearerOrCookie = "Bearer or cookie";

    /// <summary>A session cookie holds as a token does (<see cref="AgainstTheDirectory"/>); one that no longer holds is removed.</summary>
    private static async Task CookieAgainstTheDirectory(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext context)
    {
        if (await SignInsOf(context.HttpContext).AsTheDirectoryHasThem(context.Principal, BrowserSession.Scheme, context.HttpContext.RequestAborted) is { } principal)
        {
            context.ReplacePrincipal(principal);
            return;
        }
        context.RejectPrincipal();
        context.HttpContext.Items[SignInEnded] = true;
        await context.HttpContext.SignOutAsync(BrowserSession.Scheme);
    }

    /// <summary>Set on a request whose session cookie named a sign-in that has ended: the sign-in page says so.</summary>
    public const string SignInEnded = "ec.signin-ended";

    /// <summary>
    /// A valid signature is not enough: the token's sign-in must still hold (<see cref="SignIns"/>: its user in the
    /// directory and enabled, not signed out, no password change since), and its user acts with the roles and
    /// jurisdictions the directory gives them now (read at most a few seconds ago), not those written in the token.
    /// </summary>
    private static async Task AgainstTheDirectory(TokenValidatedContext context)
    {
        if (await SignInsOf(context.HttpContext).AsTheDirectoryHasThem(context.Principal, JwtBearerDefaults.AuthenticationScheme,
                context.HttpContext.RequestAborted) is { } principal)
            context.Principal = principal;
        else
            context.Fail("The token's sign-in no longer holds.");
    }

    private static SignIns SignInsOf(HttpContext http) => http.RequestServices.GetRequiredService<SignIns>();
}
