using System.Net;
using System.Net.Http.Json;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Identity;

/// <summary>Browsers sign in with a cookie no script can read, write only with the anti-forgery token, and every page is fenced by headers.</summary>
public sealed class BrowserSessionTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task A_browser_signs_in_with_an_http_only_strict_cookie_and_reads_with_it()
    {
        using var browser = new BrowserClient(Fixture);
        (await browser.Post("/api/auth/session", new { username = "wuhan", password = "demo" }, withAntiforgery: false))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "a sign-in form without its anti-forgery token is refused");

        var signedIn = await browser.SignIn("wuhan");
        signedIn.StatusCode.Should().Be(HttpStatusCode.OK);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ec.session="));
        cookie.ToLowerInvariant().Should().Contain("httponly").And.Contain("samesite=strict");
        (await signedIn.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["roles"]![0]!.ToString().Should().Be("Commander");

        (await browser.Http.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>("/api/auth/session"))!["username"]!.ToString().Should().Be("wuhan");
        using var live = await browser.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/situation/live"), HttpCompletionOption.ResponseHeadersRead);
        live.StatusCode.Should().Be(HttpStatusCode.OK, "the live stream needs no token in its URL: the cookie goes with it");
    }

    [Fact]
    public async Task A_browsers_writes_need_the_anti_forgery_token_and_signing_out_ends_the_session()
    {
        using var browser = new BrowserClient(Fixture);
        (await browser.SignIn("reporter")).StatusCode.Should().Be(HttpStatusCode.OK);
        var forged = await browser.Post("/api/incidents", NewIncident(), withAntiforgery: false);
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await forged.Content.ReadAsStringAsync()).Should().Contain("X-CSRF-TOKEN");
        (await browser.Post("/api/incidents", NewIncident())).StatusCode.Should().Be(HttpStatusCode.Created);

        (await browser.Post("/api/auth/session/sign-out", new { })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await browser.Http.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_disabled_users_cookie_stops_working_at_the_next_request()
    {
        (await As("admin").Post("/api/users", new { username = "desk.ma", displayName = "Ma", password = "a long enough password", roles = new[] { "Responder" },
            jurisdictions = new[] { "420100" } })).ShouldBe(HttpStatusCode.Created);
        using var browser = new BrowserClient(Fixture);
        (await browser.SignIn("desk.ma", "a long enough password")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.Http.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await As("admin").Post("/api/users/desk.ma/disable", new { reason = "Reassigned" })).ShouldBe(HttpStatusCode.OK);
        (await browser.Http.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/incidents")]
    [InlineData("/health/live")]
    public async Task Every_answer_carries_a_policy_without_inline_script_no_framing_no_sniffing_and_no_referrer(string path)
    {
        var answer = await Anonymous.Get(path);
        var policy = answer.Headers["Content-Security-Policy"];
        policy.Should().Contain("frame-ancestors 'none'").And.Contain("script-src 'self'");
        policy.Split(';').Single(d => d.Trim().StartsWith("script-src")).Should().NotContain("unsafe-inline");
        answer.Headers["X-Content-Type-Options"].Should().Be("nosniff");
        answer.Headers["Referrer-Policy"].Should().Be("no-referrer");
    }
}
