using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Text;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace EmergencyCommand.Server.Tests.Identity;

/// <summary>Short access tokens that name their key, refresh tokens that rotate, and nothing a stranger could mint.</summary>
public sealed class TokenTests(AppFixture fixture) : ServerTest(fixture)
{
    private const string DemoKey = "demo-only-signing-key-not-for-production-use-0123456789";

    private async Task<System.Text.Json.Nodes.JsonNode> SignIn(string username = "hubei") =>
        (await Anonymous.Post("/api/auth/token", new { username, password = "demo" })).ShouldBe(HttpStatusCode.OK).Json;

    /// <summary>
    /// A token signed with the published demo key, as anyone who read the repository could make, naming a sign-in begun
    /// at <paramref name="signedInAt"/> (now by default) unless <paramref name="namingASignIn"/> is false.
    /// </summary>
    private static string Minted(string name, DateTime expires, string key = DemoKey, string? keyId = null, DateTimeOffset? signedInAt = null,
        bool namingASignIn = true)
    {
        var signing = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)) { KeyId = keyId };
        List<Claim> claims = [new("name", name), new("role", "Commander"), new("jurisdiction", "000000")];
        if (namingASignIn)
            claims.AddRange([new("sid", Guid.NewGuid().ToString()), new("signins_ended", "0"),
                new("auth_time", (signedInAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(), ClaimValueTypes.Integer64)]);
        var token = new JwtSecurityToken("EmergencyCommand", "EmergencyCommand", claims, expires.AddMinutes(-10), expires,
            new SigningCredentials(signing, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    [Fact]
    public async Task Sign_in_answers_an_access_token_of_at_most_15_minutes_naming_its_key_and_a_refresh_token()
    {
        var answer = await SignIn();
        answer["expiresIn"]!.GetValue<int>().Should().BeInRange(60, 900);
        answer["refreshToken"]!.ToString().Should().HaveLength(43);
        var access = new JwtSecurityTokenHandler().ReadJwtToken(answer["accessToken"]!.ToString());
        access.Header.Kid.Should().NotBeNullOrEmpty();
        (access.ValidTo - access.ValidFrom).Should().BeLessThanOrEqualTo(TimeSpan.FromMinutes(15));
        (await Api.WithToken(Fixture, answer["accessToken"]!.ToString()).Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_using_it_again_revokes_the_whole_sign_in()
    {
        var first = await SignIn();
        var second = (await Anonymous.Post("/api/auth/refresh", new { refreshToken = first["refreshToken"]!.ToString() })).ShouldBe(HttpStatusCode.OK).Json;
        second["refreshToken"]!.ToString().Should().NotBe(first["refreshToken"]!.ToString());
        (await Api.WithToken(Fixture, second["accessToken"]!.ToString()).Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);

        // The first refresh token again: stolen. Both it and the one that replaced it stop working.
        (await Anonymous.Post("/api/auth/refresh", new { refreshToken = first["refreshToken"]!.ToString() })).ShouldBe(HttpStatusCode.Unauthorized);
        (await Anonymous.Post("/api/auth/refresh", new { refreshToken = second["refreshToken"]!.ToString() })).ShouldBe(HttpStatusCode.Unauthorized);
        (await Anonymous.Post("/api/auth/refresh", new { refreshToken = "not-a-token" })).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Two_simultaneous_uses_of_one_refresh_token_leave_at_most_one_winner_and_revoke_the_sign_in()
    {
        var signedIn = await SignIn();
        var token = signedIn["refreshToken"]!.ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Anonymous.Post("/api/auth/refresh", new { refreshToken = token })));
        answers.Count(a => a.Status == HttpStatusCode.OK).Should().BeLessThanOrEqualTo(1);
        answers.Should().OnlyContain(a => a.Status == HttpStatusCode.OK || a.Status == HttpStatusCode.Unauthorized);
        foreach (var winner in answers.Where(a => a.Status == HttpStatusCode.OK))
            (await Anonymous.Post("/api/auth/refresh", new { refreshToken = winner.Json["refreshToken"]!.ToString() })).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_revokes_the_refresh_token()
    {
        var signedIn = await SignIn();
        (await Anonymous.Post("/api/auth/sign-out", new { refreshToken = signedIn["refreshToken"]!.ToString() })).ShouldBe(HttpStatusCode.NoContent);
        (await Anonymous.Post("/api/auth/refresh", new { refreshToken = signedIn["refreshToken"]!.ToString() })).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tokens_for_unknown_users_for_the_server_itself_or_past_their_expiry_are_refused()
    {
        (await Api.WithToken(Fixture, Minted("mallory", DateTime.UtcNow.AddYears(10))).Post("/api/incidents", NewIncident())).ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.WithToken(Fixture, Minted("system", DateTime.UtcNow.AddMinutes(5))).Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.WithToken(Fixture, Minted("hubei", DateTime.UtcNow.AddSeconds(-20))).Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.WithToken(Fixture, Minted("hubei", DateTime.UtcNow.AddMinutes(5), "another key of at least thirty-two bytes long")).Get("/api/incidents"))
            .ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.WithToken(Fixture, Minted("hubei", DateTime.UtcNow.AddMinutes(5))).Get("/api/incidents")).ShouldBe(HttpStatusCode.OK,
            "the demo key signs for a registered user (the server refuses to listen beyond loopback with it)");
        (await Api.WithToken(Fixture, Minted("hubei", DateTime.UtcNow.AddMinutes(5), namingASignIn: false)).Get("/api/incidents"))
            .ShouldBe(HttpStatusCode.Unauthorized, "a token naming no sign-in cannot be ended, so it is not accepted");
        (await Api.WithToken(Fixture, Minted("hubei", DateTime.UtcNow.AddMinutes(5), signedInAt: DateTimeOffset.UtcNow.AddHours(-12).AddMinutes(-1)))
            .Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized, "a sign-in lasts a shift (12 hours) however often its tokens were renewed");
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_take_the_same_time()
    {
        async Task<TimeSpan> Timed(string username)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            (await Anonymous.Post("/api/auth/token", new { username, password = "not the password" })).ShouldBe(HttpStatusCode.Unauthorized);
            return clock.Elapsed;
        }
        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            known.Add(await Timed("responder"));
            unknown.Add(await Timed($"nobody{i}"));
        }
        // Both do a full PBKDF2 of 600,000 iterations (hundreds of milliseconds); without the decoy an unknown name would
        // answer in a few milliseconds. The bound is loose on purpose: a loaded machine slows either side.
        unknown.Order().ElementAt(2).Should().BeGreaterThan(known.Order().ElementAt(1) / 4);
    }
}
