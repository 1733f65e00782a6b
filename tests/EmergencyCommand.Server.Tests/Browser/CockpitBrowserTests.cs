using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EmergencyCommand.Server.Tests.Browser;

/// <summary>The cockpit in real headless Chromium against the real server process.</summary>
public sealed class CockpitBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartOnFreshDatabase();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_commander_signs_in_sees_the_board_and_it_updates_without_a_reload()
    {
        File.Exists(Chromium).Should().BeTrue("ops/test installs Debian's chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(_server.BaseUrl + "/");
        await page.FillAsync("#username", "hubei");
        await page.FillAsync("#password", "demo");
        await page.ClickAsync("#signin-button");
        await page.Locator("#board").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await Expect(page.Locator("#live")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("connected"));
        var before = int.Parse(await page.Locator("#incidents-total").InnerTextAsync());

        // A change made elsewhere, through the API, reaches the open page by itself.
        using var api = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        var token = (await (await api.PostAsJsonAsync("/api/auth/token", new { username = "hubei", password = "demo" })).Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.ToString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await api.PostAsJsonAsync("/api/incidents", new
        {
            category = "PublicHealth", title = "Fever cluster", description = "", jurisdiction = "420102",
            location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hospital",
        })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/jurisdictions/420000/response-level", new { level = "I", rationale = "Rapid spread" })).EnsureSuccessStatusCode();

        await Expect(page.Locator("#incidents-total")).ToHaveTextAsync((before + 1).ToString(), new() { Timeout = 15_000 });
        await Expect(page.Locator("#levels li[data-jurisdiction='420000']")).ToHaveAttributeAsync("data-level", "I", new() { Timeout = 15_000 });
        await Expect(page.Locator("#map path[data-adcode='420000']")).ToHaveAttributeAsync("data-level", "I", new() { Timeout = 15_000 });

        await page.ClickAsync("#lang-toggle");
        (await page.EvaluateAsync<string>("document.documentElement.lang")).Should().Be("en");

        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "cockpit.png"), FullPage = true });
        errors.Should().BeEmpty();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
