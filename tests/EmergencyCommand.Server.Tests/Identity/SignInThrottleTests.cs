using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Identity;

/// <summary>Guessing passwords is slowed to a stop: per user name, with the lock-out recorded, and per client address.</summary>
public sealed class SignInThrottleTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_user_out_with_429_and_Retry_After_and_the_lock_out_is_a_fact()
    {
        for (var i = 0; i < 5; i++)
            (await Anonymous.Post("/api/auth/token", new { username = "guangdong", password = $"guess {i}" })).ShouldBe(HttpStatusCode.Unauthorized);

        var refused = (await Anonymous.Post("/api/auth/token", new { username = "guangdong", password = "demo" })).ShouldBe((HttpStatusCode)429);
        int.Parse(refused.Headers["Retry-After"]).Should().BeGreaterThan(0);
        refused.Json["status"]!.GetValue<int>().Should().Be(429);

        var user = (await As("admin").Get("/api/users/guangdong")).ShouldBe(HttpStatusCode.OK).Json;
        DateTimeOffset.Parse(user["lockedUntil"]!.ToString()).Should().BeAfter(DateTimeOffset.UtcNow);
        await Settled();
        var timeline = (await As("reviewer").Get("/api/replay?limit=1000")).Json.AsArray();
        timeline.Select(e => e!["type"]!.ToString()).Should().Contain("UserLockedOut");

        // Another user name is not affected.
        (await Anonymous.Post("/api/auth/token", new { username = "hubei", password = "demo" })).ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>
/// On a server of its own, as every failure counts against the one test client's address too: seventeen here, within
/// the address's twenty.
/// </summary>
public sealed class SignInGuessingTests(AppFixture fixture) : ServerTest(fixture)
{
    private async Task<string> NewUser(string username)
    {
        (await As("admin").Post("/api/users", new
        {
            username, displayName = username, password = "the right password", roles = new[] { "Responder" }, jurisdictions = new[] { "420100" },
        })).ShouldBe(HttpStatusCode.Created);
        return username;
    }

    [Fact]
    public async Task Guesses_sent_all_at_once_are_counted_one_by_one()
    {
        var username = await NewUser($"night.{Guid.NewGuid():N}"[..14]);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Anonymous.Post("/api/auth/token", new { username, password = $"guess {i}" })));

        // Five are checked and refused; the rest find the user locked out, whatever order they arrived in.
        answers.Count(a => a.Status == HttpStatusCode.Unauthorized).Should().Be(5, string.Join(", ", answers.Select(a => (int)a.Status)));
        answers.Count(a => (int)a.Status == 429).Should().Be(7);
        (await Anonymous.Post("/api/auth/token", new { username, password = "the right password" })).ShouldBe((HttpStatusCode)429);
    }

    [Fact]
    public async Task Wrong_current_passwords_count_as_failed_sign_ins_so_a_stolen_session_cannot_guess_it()
    {
        var username = await NewUser($"desk.{Guid.NewGuid():N}"[..13]);
        var token = (await Anonymous.Post("/api/auth/token", new { username, password = "the right password" })).ShouldBe(HttpStatusCode.OK)
            .Json["accessToken"]!.ToString();
        var session = Api.WithToken(Fixture, token);

        for (var i = 0; i < 5; i++)
            (await session.Post($"/api/users/{username}/password", new { currentPassword = $"guess {i}", newPassword = "taken over at last" }))
                .ShouldBe(HttpStatusCode.Forbidden);

        (await session.Post($"/api/users/{username}/password", new { currentPassword = "the right password", newPassword = "taken over at last" }))
            .ShouldBe((HttpStatusCode)429);
        (await Anonymous.Post("/api/auth/token", new { username, password = "the right password" })).ShouldBe((HttpStatusCode)429);
    }
}

/// <summary>On a server of its own: every failure here counts against the one test client's address.</summary>
public sealed class SignInAddressThrottleTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task Twenty_failures_from_one_address_refuse_further_attempts_from_it_for_any_user()
    {
        for (var i = 0; i < 20; i++)
            (await Anonymous.Post("/api/auth/token", new { username = $"spray{i}", password = "123456" })).ShouldBe(HttpStatusCode.Unauthorized);
        (await Anonymous.Post("/api/auth/token", new { username = "wuhan", password = "demo" })).ShouldBe((HttpStatusCode)429)
            .Headers.Should().ContainKey("Retry-After");
    }
}
