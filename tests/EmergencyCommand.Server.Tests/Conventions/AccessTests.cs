using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

public sealed class AccessTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task Sign_in_answers_roles_and_jurisdictions_and_refuses_a_wrong_password()
    {
        var token = (await Anonymous.Post("/api/auth/token", new { username = "hubei", password = "demo" })).ShouldBe(HttpStatusCode.OK).Json;
        token["accessToken"]!.ToString().Should().NotBeNullOrEmpty();
        token["roles"]!.AsArray().Select(r => r!.ToString()).Should().Equal("Commander");
        token["jurisdictions"]!.AsArray().Select(r => r!.ToString()).Should().Equal("420000");
        DateTimeOffset.Parse(token["expiresAt"]!.ToString()).Should().BeAfter(DateTimeOffset.UtcNow);

        (await Anonymous.Post("/api/auth/token", new { username = "hubei", password = "wrong" })).ShouldBe(HttpStatusCode.Unauthorized);
        (await Anonymous.Post("/api/auth/token", new { username = "nobody", password = "demo" })).ShouldBe(HttpStatusCode.Unauthorized);
        (await Anonymous.Post("/api/auth/token", new { username = "hubei" })).ShouldBe(HttpStatusCode.BadRequest).Body.Should().Contain("password");
    }

    [Fact]
    public async Task Every_api_route_needs_a_token_and_a_forged_one_is_refused()
    {
        const string forgedToken = "eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoibmF0aW9uYWwiLCJyb2xlIjoiQ29tbWFuZGVyIn0.c2lnbmF0dXJl";
        var routes = Route.All(Fixture.Host).Where(r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        routes.Should().HaveCountGreaterThan(40);
        routes.Where(r => r.Anonymous).Select(r => r.ToString()).Should()
            .Equal(["GET /api/audit/public-key", "GET /api/auth/antiforgery", "POST /api/auth/refresh", "POST /api/auth/session", "POST /api/auth/sign-out", "POST /api/auth/token"],
                "only signing in and out is open, and the public key that checks anchors");
        foreach (var route in routes.Where(r => !r.Anonymous))
        {
            var body = route.Method == "GET" ? null : "{}";
            var none = await Anonymous.Send(new HttpMethod(route.Method), route.Example, body, null);
            none.ShouldBe(HttpStatusCode.Unauthorized, $"{route} without a token");
            none.Json["status"]!.GetValue<int>().Should().Be(401);
            (await Anonymous.Send(new HttpMethod(route.Method), route.Example, body, h => h.Authorization = new("Bearer", forgedToken)))
                .ShouldBe(HttpStatusCode.Unauthorized, $"{route} with a forged token");
        }
    }

    [Fact]
    public async Task Roles_decide_who_may_do_what_and_reviewers_write_nothing()
    {
        var id = await Reported();

        (await Reporter.Post($"/api/incidents/{id}/verify", new { note = "x" })).ShouldBe(HttpStatusCode.Forbidden)
            .Json["detail"]!.ToString().Should().Contain("Commander");
        (await Responder.Post($"/api/incidents/{id}/verify", new { note = "x" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Reviewer.Post("/api/incidents", NewIncident())).ShouldBe(HttpStatusCode.Forbidden);
        (await Reviewer.Post($"/api/incidents/{id}/verify", new { note = "x" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Logistics.Post($"/api/incidents/{id}/verify", new { note = "x" })).ShouldBe(HttpStatusCode.Forbidden);

        // Nothing refused was recorded.
        (await Reviewer.Get($"/api/incidents/{id}")).Json["version"]!.GetValue<long>().Should().Be(1);
    }

    [Fact]
    public async Task A_commander_acts_only_inside_the_jurisdiction_they_cover()
    {
        var inJianghan = await Reported("420102");

        var refused = (await Guangdong.Post($"/api/incidents/{inJianghan}/verify", new { note = "x" })).ShouldBe(HttpStatusCode.Forbidden);
        refused.Json["detail"]!.ToString().Should().Contain("440000").And.Contain("420102");

        (await Hubei.Post($"/api/incidents/{inJianghan}/verify", new { note = "province covers the district" })).ShouldBe(HttpStatusCode.OK);
        (await Reporter.Post("/api/incidents", NewIncident("440103"))).ShouldBe(HttpStatusCode.Forbidden);
        (await National.Post("/api/incidents", NewIncident("440103"))).ShouldBe(HttpStatusCode.Created);
    }
}
