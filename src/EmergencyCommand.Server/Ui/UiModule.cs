using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MudBlazor.Services;

namespace EmergencyCommand.Server.Ui;

/// <summary>
/// The operator console: one Blazor web application (interactive server rendering, MudBlazor) served at <c>/</c>, with a
/// workspace for each role. Its pages read and write only through the server's own HTTP API.
/// </summary>
public sealed class UiModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Services((services, _) =>
        {
            services.AddRazorComponents().AddInteractiveServerComponents();
            services.AddCascadingAuthenticationState();
            services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, Identity.CircuitSignIn>();
            services.AddMudServices();
            services.AddScoped<Texts>();
            services.AddScoped<ApiReachability>();
            services.AddScoped<IAccessTokens, CircuitTokens>();
            services.AddScoped<ILiveUpdates, LiveUpdates>();
            services.AddHttpClient<ConsoleApi>((sp, http) =>
                {
                    http.BaseAddress = OwnAddress(sp.GetRequiredService<IServer>());
                    http.Timeout = TimeSpan.FromSeconds(30);
                })
                // The server calls itself on loopback: under HTTPS its own certificate is the one presented.
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (request, _, _, _) => request.RequestUri?.IsLoopback == true,
                });
            services.AddSingleton<ChinaMap>();
        })
        .Routes(routes =>
        {
            routes.MapRazorComponents<App>().AddInteractiveServerRenderMode();
            // The console's sign-out button posts a form (with its anti-forgery token) and lands on the sign-in page.
            routes.MapPost("/signout", async (HttpContext http, Identity.SignIns signIns) =>
            {
                await Identity.BrowserSession.SignOut(http, signIns, http.RequestAborted);
                return Results.Redirect("/signin");
            }).ExcludeFromDescription();
        });

    /// <summary>This server's own address, on loopback, preferring plain HTTP.</summary>
    private static Uri OwnAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.OrderBy(a => a.StartsWith("https", StringComparison.Ordinal)).FirstOrDefault()
                      ?? throw new InvalidOperationException("The server listens nowhere yet.");
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1")
            .Replace("://[::]", "://127.0.0.1"));
        if (uri.Host == "localhost") uri.Host = "127.0.0.1";
        return uri.Uri;
    }
}
