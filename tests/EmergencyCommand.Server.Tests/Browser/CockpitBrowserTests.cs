using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EmergencyCommand.Server.Tests.Browser;

/// <summary>The cockpit in real headless Chromium against the real server process.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class CockpitBrowserTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartOnFreshDatabase();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_commander_signs_in_sees_the_board_and_it_updates_without_a_reload()
    {
        await using var cockpit = await Cockpit.SignedIn(_server, "hubei");
        var page = cockpit.Page;
        var errors = cockpit.Errors;
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

        await Expect(page.Locator("#incidents-total")).ToHaveTextAsync((before + 1).ToString());
        await Expect(page.Locator("#levels li[data-jurisdiction='420000']")).ToHaveAttributeAsync("data-level", "I");
        await Expect(page.Locator("#map path[data-adcode='420000']")).ToHaveAttributeAsync("data-level", "I");

        // A request still unmet at its needed-by turns overdue by itself, and the open board shows it.
        await Expect(page.Locator("#requests-overdue")).ToHaveTextAsync("0");
        (await api.PostAsJsonAsync("/api/supply-requests", new
        {
            requester = "Jinyintan Hospital", jurisdiction = "420105", priority = "Critical",
            lines = new[] { new { item = "Oxygen concentrator", quantity = 5 } }, neededBy = DateTimeOffset.UtcNow.AddSeconds(3).ToString("O"),
        })).EnsureSuccessStatusCode();
        await Expect(page.Locator("#requests-open")).ToHaveTextAsync("1");
        await Expect(page.Locator("#requests-overdue")).ToHaveTextAsync("1", new() { Timeout = 60_000 });
        await Expect(page.Locator("#requests-overdue")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("alert"));

        await page.ClickAsync("#lang-toggle");
        (await page.EvaluateAsync<string>("document.documentElement.lang")).Should().Be("en");

        await cockpit.Screenshot("cockpit.png");
        errors.Should().BeEmpty();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
