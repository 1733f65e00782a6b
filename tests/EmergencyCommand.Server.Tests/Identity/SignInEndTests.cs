using System.Net;
using System.Security.Cryptography;
using System.Text;
using EmergencyCommand.Server.Identity;
using EmergencyCommand.Server.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace EmergencyCommand.Server.Tests.Identity;

/// <summary>
/// A sign-in ends: when its user signs out (wherever its cookie or tokens were copied), when the password changes or the
/// user is disabled (every sign-in of theirs), and a shift after it began however often it was refreshed.
/// </summary>
public sealed class SignInEndTests(AppFixture fixture) : ServerTest(fixture)
{
    private const string Password = "a long enough password";

    private async Task Registered(string username, string jurisdiction = "420100") =>
        (await As("admin").Post("/api/users", new { username, displayName = username, password = Password, roles = new[] { "Commander" },
            jurisdictions = new[] { jurisdiction } })).ShouldBe(HttpStatusCode.Created);

    private async Task<(Api Client, string RefreshToken, string AccessToken)> TokensFor(string username, string password = Password)
    {
        var answer = (await Anonymous.Post("/api/auth/token", new { username, password })).ShouldBe(HttpStatusCode.OK).Json;
        var access = answer["accessToken"]!.ToString();
        return (Api.WithToken(Fixture, access), answer["refreshToken"]!.ToString(), access);
    }

    /// <summary>A client that was given a copy of the browser's session cookie, and nothing else.</summary>
    private HttpClient CopyOfTheCookie(BrowserClient browser)
    {
        var copy = new HttpClient(Fixture.Host.Server.CreateHandler()) { BaseAddress = Fixture.Host.Server.BaseAddress };
        var cookie = browser.Cookies.GetCookies(Fixture.Host.Server.BaseAddress)["ec.session"]!;
        copy.DefaultRequestHeaders.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        return copy;
    }

    [Fact]
    public async Task A_password_change_ends_every_sign_in_of_the_user_their_tokens_refresh_tokens_and_cookies()
    {
        await Registered("desk.he");
        var (client, refresh, _) = await TokensFor("desk.he");
        using var browser = new BrowserClient(Fixture);
        (await browser.SignIn("desk.he", Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);
        (await browser.Http.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await As("admin").Post("/api/users/desk.he/password", new { newPassword = "set after a phone was lost" })).ShouldBe(HttpStatusCode.OK);

        (await client.Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized);
        (await Anonymous.Post("/api/auth/refresh", new { refreshToken = refresh })).ShouldBe(HttpStatusCode.Unauthorized).Json["detail"]!
            .ToString().Should().Contain("password changed");
        (await browser.Http.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var (fresh, _, _) = await TokensFor("desk.he", "set after a phone was lost");
        (await fresh.Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_out_ends_that_sign_in_wherever_its_cookie_or_access_token_was_copied_and_no_other()
    {
        await Registered("desk.lu");
        using var browser = new BrowserClient(Fixture);
        (await browser.SignIn("desk.lu", Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        using var copied = CopyOfTheCookie(browser);
        (await copied.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.OK);
        var (other, _, _) = await TokensFor("desk.lu");

        (await browser.Post("/api/auth/session/sign-out", new { })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await copied.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // The console's own sign-out button ends its sign-in the same way.
        using var console = new BrowserClient(Fixture);
        (await console.SignIn("desk.lu", Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        using var consoleCopy = CopyOfTheCookie(console);
        (await console.Post("/signout", new { })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await consoleCopy.GetAsync("/api/incidents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var (client, refresh, _) = await TokensFor("desk.lu");
        (await Anonymous.Post("/api/auth/sign-out", new { refreshToken = refresh })).ShouldBe(HttpStatusCode.NoContent);
        (await client.Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized, "the access token of a signed-out sign-in stops at once");

        (await other.Get("/api/incidents")).ShouldBe(HttpStatusCode.OK, "signing out on one device leaves the user's other sign-ins alone");
    }

    [Fact]
    public async Task A_refresh_token_used_twice_ends_the_sign_in_its_access_tokens_too()
    {
        await Registered("desk.fu");
        var (first, refresh, _) = await TokensFor("desk.fu");
        var renewed = (await Anonymous.Post("/api/auth/refresh", new { refreshToken = refresh })).ShouldBe(HttpStatusCode.OK).Json;
        var second = Api.WithToken(Fixture, renewed["accessToken"]!.ToString());
        (await second.Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);

        (await Anonymous.Post("/api/auth/refresh", new { refreshToken = refresh })).ShouldBe(HttpStatusCode.Unauthorized); // stolen
        (await first.Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized);
        (await second.Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized, "whoever holds the newer token is cut off too");
    }

    [Theory]
    [InlineData(11, HttpStatusCode.OK)]
    [InlineData(13, HttpStatusCode.Unauthorized)]
    public async Task A_refresh_carries_a_sign_in_no_further_than_a_shift_after_it_began(int hoursAgo, HttpStatusCode expected)
    {
        // A refresh token issued a minute ago, as every refresh issues one, in a sign-in that began hoursAgo.
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = SystemClock.Instance.GetCurrentInstant();
        await using (var session = Fixture.Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Insert(new RefreshToken
            {
                Id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))), Family = Guid.NewGuid(), Username = "hubei",
                SignedInAt = now - Duration.FromHours(hoursAgo), IssuedAt = now - Duration.FromMinutes(1), ExpiresAt = now + Duration.FromHours(12),
            });
            await session.SaveChangesAsync();
        }

        var answer = (await Anonymous.Post("/api/auth/refresh", new { refreshToken = value })).ShouldBe(expected);
        if (expected == HttpStatusCode.OK)
            (await Api.WithToken(Fixture, answer.Json["accessToken"]!.ToString()).Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);
        else
            answer.Json["detail"]!.ToString().Should().Contain("12 hours");
    }

    [Fact]
    public async Task The_live_board_stream_ends_when_its_sign_in_ends_or_its_readers_area_changes()
    {
        await Registered("watch.lin");
        await Registered("watch.gao");
        var (_, linRefresh, lin) = await TokensFor("watch.lin");
        var (_, _, gao) = await TokensFor("watch.gao");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = Fixture.Host.Server.CreateClient();
        using var linStream = await Live(client, lin, cts.Token);
        using var gaoStream = await Live(client, gao, cts.Token);

        (await Anonymous.Post("/api/auth/sign-out", new { refreshToken = linRefresh })).ShouldBe(HttpStatusCode.NoContent);
        (await As("admin").Post("/api/users/watch.gao/jurisdictions", new { jurisdictions = new[] { "420500" } })).ShouldBe(HttpStatusCode.OK);
        await Reported("420102"); // the board changes: each stream looks again at who is watching

        await Ended(linStream, cts.Token);
        await Ended(gaoStream, cts.Token);
        using var again = await Live(client, gao, cts.Token); // reconnecting is checked afresh: the new area
    }

    private static async Task<StreamReader> Live(HttpClient client, string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/situation/live");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var stream = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        (await stream.ReadLineAsync(ct)).Should().Be("event: situation", "the board comes at once");
        return stream;
    }

    /// <summary>Reads the stream to its end: the server closed it (the test's minute runs out otherwise).</summary>
    private static async Task Ended(StreamReader stream, CancellationToken ct)
    {
        while (await stream.ReadLineAsync(ct) is not null)
        {
        }
    }
}
