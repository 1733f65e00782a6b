using Microsoft.Playwright;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, on the console of a real server process: one browser, one context (own cookies) per
/// person signed in. Every wait is on a condition the page shows, never on a guessed sleep.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly ServerProcess _server;
    private readonly List<string> _console = [];

    private Chromium(IPlaywright playwright, IBrowser browser, ServerProcess server)
    {
        _playwright = playwright;
        _browser = browser;
        _server = server;
    }

    public List<string> Errors { get; } = [];

    public static async Task<Chromium> Launch(ServerProcess server)
    {
        File.Exists(Executable).Should().BeTrue("ops/test installs Debian's chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // No sandbox as root; no background traffic on a machine without a network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        // Upper bounds only, sized for a loaded CI machine where the server, the daemon and Chromium share two cores.
        Assertions.SetDefaultExpectTimeout(20_000);
        return new Chromium(playwright, browser, server);
    }

    /// <summary>A new person at a new browser window: signs in through the sign-in page, lands on the console.</summary>
    public async Task<IPage> SignIn(string user, int width = 1366, int height = 768, string language = "zh", string password = "demo")
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        page.PageError += (_, e) => { lock (Errors) Errors.Add($"{user}: {e}"); };
        page.Console += (_, m) => { lock (_console) _console.Add($"{user} {m.Type}: {m.Text}"); };
        await page.GotoAsync($"{_server.BaseUrl}/signin?lang={language}");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin-button");
        await Interactive(page);
        return page;
    }

    /// <summary>Opens a page of the console and waits until its circuit runs it (clicks on the pre-rendered HTML do nothing).</summary>
    public async Task Open(IPage page, string path)
    {
        await page.GotoAsync(_server.BaseUrl + "/" + path.TrimStart('/'));
        await Interactive(page);
    }

    private static Task Interactive(IPage page) =>
        Assertions.Expect(page.Locator("#console")).ToHaveAttributeAsync("data-ready", "true");

    /// <summary>Picks an option of a MudBlazor select by its visible text.</summary>
    public static async Task Choose(IPage page, string select, string option)
    {
        // The select's own input is hidden once it holds a value: click the control around it.
        await page.Locator(select).Locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' mud-select ')][1]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
    }

    /// <summary>Runs browser checks; when one fails, the failure carries a screenshot of each page, the page errors and the console.</summary>
    public async Task Explaining(Func<Task> checks, params IPage[] pages)
    {
        try
        {
            await checks();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            var stamp = DateTime.UtcNow.ToString("HHmmss");
            for (var i = 0; i < pages.Length; i++)
                try
                {
                    await Screenshot(pages[i], $"failure-{stamp}-{i}.png");
                }
                catch (PlaywrightException)
                {
                }
            string[] console;
            lock (_console) console = [.. _console];
            throw new InvalidOperationException(
                $"{e.Message}\nPage errors: {string.Join(" | ", Errors)}\nConsole: {string.Join(" | ", console.TakeLast(30))}\nServer: {string.Join('\n', _server.Output.Split('\n').TakeLast(30))}", e);
        }
    }

    public static async Task Screenshot(IPage page, string name)
    {
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, name), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
