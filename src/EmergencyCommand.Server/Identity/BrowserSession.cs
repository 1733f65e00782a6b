using System.Security.Claims;
using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Identity;

public sealed record SessionView(string Username, string DisplayName, IReadOnlyList<Role> Roles, IReadOnlyList<string> Jurisdictions);

public sealed record AntiforgeryView(string Token, string HeaderName);

/// <summary>
/// Browsers sign in with a cookie (HttpOnly, SameSite=Strict, Secure under HTTPS) instead of holding a token: no script
/// can read it, and the live stream needs nothing in its URL. A browser's writes carry an anti-forgery token.
/// </summary>
public static class BrowserSession
{
    public const string Scheme = "Cookies";

    /// <summary>The anti-forgery token a page sends back in <see cref="AntiforgeryView.HeaderName"/> with every write.</summary>
    [AllowAnonymous]
    [WolverineGet("/api/auth/antiforgery", OperationId = "GetAntiforgeryToken")]
    public static AntiforgeryView Antiforgery(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new AntiforgeryView(tokens.RequestToken!, tokens.HeaderName!);
    }

    /// <summary>Who is signed in (by cookie or token), as the directory has them now.</summary>
    [WolverineGet("/api/auth/session", OperationId = "GetSession")]
    public static async Task<SessionView> Current(Reader reader, UserDirectory directory, CancellationToken ct)
    {
        var user = await directory.Find(reader.Actor.UserName, ct) ?? throw new ProblemException(401, "Unauthorized", "Sign in first.");
        return new SessionView(user.Username, user.DisplayName, user.Roles, user.Jurisdictions);
    }

    /// <summary>Signs the browser out: the cookie is removed, and a copy of it kept elsewhere stops working too.</summary>
    [WolverinePost("/api/auth/session/sign-out", OperationId = "EndSession")]
    public static async Task<IResult> End(HttpContext http, SignIns signIns, CancellationToken ct)
    {
        await SignOut(http, signIns, ct);
        return Results.NoContent();
    }

    /// <summary>A new sign-in for the browser, held in its session cookie: the one way the API and the console's sign-in page start one.</summary>
    public static Task SignIn(HttpContext http, UserAccount user, SignIns signIns) =>
        http.SignInAsync(Scheme, new ClaimsPrincipal(Principals.Identity(user, Scheme, signIns.Begin(user).Claims())));

    /// <summary>Ends the browser's sign-in (the one its cookie names) and removes the cookie.</summary>
    public static async Task SignOut(HttpContext http, SignIns signIns, CancellationToken ct)
    {
        if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: Scheme } && SignInSession.Of(http.User) is { } signIn)
            await signIns.End(signIn.Id, http.User.FindFirst(ActorClaims.Name)?.Value ?? "", ct);
        await http.SignOutAsync(Scheme);
    }
}

public static class StartSessionEndpoint
{
    public static ProblemDetails Validate(TokenRequest? request) => SignInEndpoint.Validate(request);

    /// <summary>
    /// Signs a browser in: the session cookie, after the same checks as a token. The anti-forgery token given before
    /// signing in is anonymous: the page asks for a new one afterwards.
    /// </summary>
    [AllowAnonymous]
    [WolverinePost("/api/auth/session", OperationId = "StartSession")]
    public static async Task<SessionView> Post(TokenRequest request, HttpContext http, SignInCheck check, SignIns signIns, IAntiforgery antiforgery,
        CancellationToken ct)
    {
        await BrowserForgery.Check(http, antiforgery);
        var user = await check.Verify(request.Username!, request.Password!, http, ct);
        await BrowserSession.SignIn(http, user, signIns);
        return new SessionView(user.Username, user.DisplayName, user.Roles, user.Jurisdictions);
    }
}

/// <summary>
/// A browser's writes (authenticated by its cookie, which it sends by itself) must carry the anti-forgery token the page
/// was given: another site cannot make the browser act. Bearer-token clients are not at risk and send none.
/// </summary>
public static class BrowserForgery
{
    public static async Task Check(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            throw ProblemException.Invalid(AntiforgeryHeader, "A browser's write must carry the anti-forgery token from GET /api/auth/antiforgery.");
        }
    }

    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static IApplicationBuilder UseBrowserForgeryCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var safe = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method);
        // The console's circuit (SignalR) has its own negotiation; its pages write through the API with tokens.
        var circuit = http.Request.Path.StartsWithSegments("/_blazor");
        if (!safe && !circuit && http.User.Identity is { IsAuthenticated: true, AuthenticationType: BrowserSession.Scheme })
            await Check(http, http.RequestServices.GetRequiredService<IAntiforgery>());
        await next(http);
    });
}
