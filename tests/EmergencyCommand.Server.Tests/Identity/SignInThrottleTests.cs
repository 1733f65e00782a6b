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
