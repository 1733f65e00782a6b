using System.Security.Claims;
using Bunit;
using EmergencyCommand.Server.Platform;
using EmergencyCommand.Server.Situation;
using EmergencyCommand.Server.Tests.Infrastructure;
using EmergencyCommand.Server.Ui;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using NodaTime;

namespace EmergencyCommand.Server.Tests.ConsolePages;

/// <summary>
/// A console component rendered by bUnit for one signed-in demo user, talking to the real in-process server (its API,
/// its PostgreSQL, its live situation) exactly as the page does in a circuit: nothing between them is a stand-in.
/// </summary>
public abstract class ConsoleComponentTest(AppFixture fixture) : ServerTest(fixture), IAsyncLifetime
{
    protected BunitContext Bunit { get; } = new();

    /// <param name="live">What tells the page of changes: the server's live situation, unless a test needs a page that hears of none.</param>
    protected void SignedInAs(string user, string[] roles, string[] jurisdictions, ILiveUpdates? live = null)
    {
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.Services.AddMudServices();
        Bunit.Services.AddScoped<Texts>();
        Bunit.Services.AddScoped<ApiReachability>();
        Bunit.Services.AddSingleton<IClock>(SystemClock.Instance);
        Bunit.Services.AddSingleton(Fixture.Host.Services.GetRequiredService<ChinaMap>());
        Bunit.Services.AddSingleton(live ?? new LiveUpdates(Fixture.Host.Services.GetRequiredService<SituationHub>(), NullLogger<LiveUpdates>.Instance));
        Bunit.Services.AddSingleton<IAccessTokens>(new DemoTokens(Fixture.Tokens));
        var authorization = Bunit.AddAuthorization();
        authorization.SetAuthorized(user);
        authorization.SetClaims([new Claim(ActorClaims.Name, user), .. roles.Select(r => new Claim(ActorClaims.Role, r)),
            .. jurisdictions.Select(j => new Claim(ActorClaims.Jurisdiction, j))]);
        Bunit.Services.AddScoped(sp => new ConsoleApi(
            new HttpClient(Fixture.Host.Server.CreateHandler()) { BaseAddress = Fixture.Host.Server.BaseAddress },
            sp.GetRequiredService<IAccessTokens>(), sp.GetRequiredService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>(),
            sp.GetRequiredService<ApiReachability>(), sp.GetRequiredService<Texts>()));
        // Selects and snackbars need their providers on the page, as the layout has them.
        Bunit.Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Bunit.DisposeAsync();

    private sealed class DemoTokens(Tokens tokens) : IAccessTokens
    {
        public Task<string> For(ClaimsPrincipal user, CancellationToken ct) => tokens.For(user.FindFirst(ActorClaims.Name)!.Value);
    }
}
