using Microsoft.Playwright;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>Debian's Chromium, headless, on the cockpit of a real server process, signed in.</summary>
public sealed class Cockpit : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Cockpit(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.PageError += (_, e) => Errors.Add(e);
    }

    public IPage Page { get; }
    public List<string> Errors { get; } = [];

    public static async Task<Cockpit> SignedIn(ServerProcess server, string user)
    {
        File.Exists(Chromium).Should().BeTrue("ops/test installs Debian's chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // No sandbox as root; no background traffic on a machine without a network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        var cockpit = new Cockpit(playwright, browser, page);
        await page.GotoAsync(server.BaseUrl + "/");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", "demo");
        await page.ClickAsync("#signin-button");
        await page.Locator("#board").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        return cockpit;
    }

    public async Task Screenshot(string name)
    {
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, name), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
