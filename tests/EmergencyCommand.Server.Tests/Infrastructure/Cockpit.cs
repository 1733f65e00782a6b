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
        page.Console += (_, m) => { lock (_console) _console.Add($"{m.Type}: {m.Text}"); };
    }

    private readonly List<string> _console = [];

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
        // Upper bounds only, sized for a loaded CI machine where the server, the daemon and Chromium share two cores.
        page.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(15_000);
        var cockpit = new Cockpit(playwright, browser, page);
        await page.GotoAsync(server.BaseUrl + "/");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", "demo");
        await page.ClickAsync("#signin-button");
        await page.Locator("#board").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        return cockpit;
    }

    /// <summary>
    /// Runs browser checks; when one fails, the failure says what the page showed (board, replay position, map
    /// levels, console), since a timing failure on a loaded CI machine is seldom reproduced on demand.
    /// </summary>
    public async Task Explaining(Func<Task> checks)
    {
        try
        {
            await checks();
        }
        catch (PlaywrightException e)
        {
            string page;
            try
            {
                page = await Page.EvaluateAsync<string>("""
                    () => JSON.stringify({
                      sequence: document.querySelector('#sequence')?.textContent,
                      asOf: document.querySelector('#as-of')?.getAttribute('datetime'),
                      levels: [...document.querySelectorAll('#levels li')].map((li) => li.dataset.jurisdiction + '=' + li.dataset.level),
                      map: [...document.querySelectorAll('#map path[data-level]')].filter((p) => p.dataset.level !== 'none')
                        .map((p) => p.dataset.adcode + '=' + p.dataset.level),
                      replayEvent: document.querySelector('#replay-event')?.dataset.sequence,
                      replayPosition: document.querySelector('#replay-position')?.textContent,
                      replayBusy: document.querySelector('#replay')?.getAttribute('aria-busy'),
                      notice: document.querySelector('#notice')?.textContent,
                    })
                    """);
            }
            catch (PlaywrightException inner)
            {
                page = "(could not read the page: " + inner.Message + ")";
            }
            string[] console;
            lock (_console) console = [.. _console];
            await Screenshot("failure-" + DateTime.UtcNow.ToString("HHmmss") + ".png");
            throw new InvalidOperationException(
                $"{e.Message}\nThe page showed: {page}\nPage errors: {string.Join(" | ", Errors)}\nConsole: {string.Join(" | ", console.TakeLast(30))}", e);
        }
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
