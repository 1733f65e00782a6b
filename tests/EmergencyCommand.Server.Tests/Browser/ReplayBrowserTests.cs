using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EmergencyCommand.Server.Tests.Browser;

/// <summary>The cockpit's replay view in real headless Chromium against the real server process.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class ReplayBrowserTests : IAsyncLifetime
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartOnFreshDatabase();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_reviewer_steps_through_the_events_and_sees_the_board_and_the_decision_at_each()
    {
        await using var cockpit = await Cockpit.SignedIn(_server, "hubei");
        var page = cockpit.Page;
        var errors = cockpit.Errors;

        // What happened: an incident reported and verified, a level II declared, then escalated to level I.
        using var api = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        var token = (await (await api.PostAsJsonAsync("/api/auth/token", new { username = "hubei", password = "demo" })).Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.ToString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var reported = await Post(api, "/api/incidents", new
        {
            category = "PublicHealth", title = "Fever cluster", description = "", jurisdiction = "420102",
            location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hospital",
        });
        await Post(api, $"/api/incidents/{reported["id"]}/verify", new { note = "Confirmed" });
        await Post(api, "/api/jurisdictions/420000/response-level", new { level = "II", rationale = "First cluster" });
        await Post(api, "/api/jurisdictions/420000/response-level", new { level = "I", rationale = "Rapid spread" });

        var events = (await api.GetFromJsonAsync<JsonArray>("/api/replay?fromSequence=0&limit=1000"))!;
        long SequenceOf(string rationale) => events.Single(e => e!["data"]!.ToJsonString().Contains(rationale))!["sequence"]!.GetValue<long>();
        var declared = SequenceOf("First cluster");
        var escalated = SequenceOf("Rapid spread");
        await WaitForDecision(api, "Rapid spread"); // the decision log is an async projection

        await cockpit.Explaining(async () =>
        {
            // Live first: the escalation reaches the open board by itself.
            await Expect(page.Locator("#levels li[data-jurisdiction='420000']")).ToHaveAttributeAsync("data-level", "I");

            // The cockpit's own look-up of the log's first event answers late (as on a loaded server): the range the
            // reviewer types meanwhile must win over it, and the list must not reload under the reviewer's feet.
            await page.RouteAsync("**/api/replay?fromSequence=0&limit=1&*", async route =>
            {
                await Task.Delay(2_000);
                await route.ContinueAsync();
            });
            await page.ClickAsync("#replay-toggle");
            await Expect(page.Locator("#replay")).ToBeVisibleAsync();
            await Expect(page.Locator("#replay-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(page.Locator("#live")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("replay"));

            var first = DateTimeOffset.Parse(events[0]!["at"]!.ToString(), CultureInfo.InvariantCulture);
            await page.FillAsync("#replay-from", BeijingInput(first.AddMinutes(-1)));
            // A whole minute, so the seconds-free spelling of the input is exercised on every run, not once in sixty.
            var now = DateTimeOffset.UtcNow;
            await page.FillAsync("#replay-to", BeijingInput(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(2)));
            await Expect(page.Locator("#replay")).ToHaveAttributeAsync("aria-busy", "false");
            await Expect(page.Locator("#replay-event")).ToHaveAttributeAsync("data-sequence", events[0]!["sequence"]!.ToString());
            await page.WaitForTimeoutAsync(2_500); // past the late answer
            (await page.InputValueAsync("#replay-from")).Should().Be(BeijingInput(first.AddMinutes(-1)), "the reviewer's range stands");

            // Step event by event to the declaration of level II.
            for (var i = 0; i < events.Count; i++)
            {
                // Step once, then wait for the page to show the next event before deciding to step again.
                var current = await page.Locator("#replay-event").GetAttributeAsync("data-sequence");
                if (current == declared.ToString()) break;
                await page.ClickAsync("#replay-next");
                await page.WaitForFunctionAsync($"document.querySelector('#replay-event').dataset.sequence !== '{current}'");
            }
            await Expect(page.Locator("#replay-event")).ToHaveAttributeAsync("data-sequence", declared.ToString());
            await BoardReaches(page, declared, escalated);
            await Expect(page.Locator("#levels li[data-jurisdiction='420000']")).ToHaveAttributeAsync("data-level", "II");
            await Expect(page.Locator("#map path[data-adcode='420000']")).ToHaveAttributeAsync("data-level", "II");
            await Expect(page.Locator("#replay-decision")).ToContainTextAsync("First cluster");

            // One step on: the escalation.
            await page.ClickAsync("#replay-next");
            await Expect(page.Locator("#replay-event")).ToHaveAttributeAsync("data-sequence", escalated.ToString());
            await BoardReaches(page, escalated, long.MaxValue);
            await Expect(page.Locator("#levels li[data-jurisdiction='420000']")).ToHaveAttributeAsync("data-level", "I");
            await Expect(page.Locator("#replay-decision")).ToContainTextAsync("Rapid spread");
            await Expect(page.Locator("#map path[data-adcode='420000']")).ToHaveAttributeAsync("data-level", "I");
            await page.WaitForTimeoutAsync(500); // the map's fill transition

            await cockpit.Screenshot("replay.png");

            // The replay speaks English too.
            await page.ClickAsync("#lang-toggle");
            await Expect(page.Locator("#replay-toggle")).ToHaveTextAsync("Back to live");
            await Expect(page.Locator("#replay-decision")).ToContainTextAsync("Rationale Rapid spread");
            await Expect(page.Locator("#live-text")).ToHaveTextAsync("Replay");

            // Leaving the replay resumes the live board.
            await page.ClickAsync("#replay-toggle");
            await Expect(page.Locator("#replay")).ToBeHiddenAsync();
            await Expect(page.Locator("#live")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("connected"));
        });
        errors.Should().BeEmpty();
    }

    private static async Task<JsonNode> Post(HttpClient api, string path, object body)
    {
        var response = await api.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    /// <summary>Waits until the board on screen is the one at the current replay step: sequence in [from, before).</summary>
    private static Task BoardReaches(IPage page, long from, long before) =>
        page.WaitForFunctionAsync(
            $"() => {{ const s = Number(document.querySelector('#sequence').textContent); return s >= {from} && s < {(before == long.MaxValue ? "Infinity" : before.ToString(CultureInfo.InvariantCulture))}; }}",
            null);

    private static async Task WaitForDecision(HttpClient api, string rationale)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await api.GetStringAsync("/api/decisions")).Contains(rationale))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the decision log should catch up within a minute");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The value of a datetime-local input in Beijing time, to the second, in the browser's normalised form: the
    /// seconds are left out when they are zero (HTML's "valid normalized local date and time string"); Playwright
    /// refuses to fill any other spelling as malformed.
    /// </summary>
    private static string BeijingInput(DateTimeOffset at)
    {
        var local = at.ToOffset(Beijing);
        return local.ToString(local.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
