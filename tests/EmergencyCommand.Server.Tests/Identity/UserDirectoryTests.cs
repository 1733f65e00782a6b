using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Identity;

/// <summary>Users are registered, changed, disabled and enabled by administrators; every change applies at the next request.</summary>
public sealed class UserDirectoryTests(AppFixture fixture) : ServerTest(fixture)
{
    private Api Admin => As("admin");

    private async Task<Api> Registered(string username, string role, string jurisdiction, string password = "a long enough password")
    {
        (await Admin.Post("/api/users", new { username, displayName = username, password, roles = new[] { role }, jurisdictions = new[] { jurisdiction } }))
            .ShouldBe(HttpStatusCode.Created);
        return await SignedIn(username, password);
    }

    private async Task<Api> SignedIn(string username, string password)
    {
        var token = (await Anonymous.Post("/api/auth/token", new { username, password })).ShouldBe(HttpStatusCode.OK).Json["accessToken"]!.ToString();
        return Api.WithToken(Fixture, token);
    }

    [Fact]
    public async Task An_administrator_registers_a_user_who_then_signs_in_and_reads_themself()
    {
        var created = (await Admin.Post("/api/users", new
        {
            username = "Medic.Liu", displayName = "刘医生 Dr Liu", password = "a long enough password", roles = new[] { "FieldReporter" },
            jurisdictions = new[] { "420106" },
        })).ShouldBe(HttpStatusCode.Created);
        created.Location.Should().Be("/api/users/medic.liu");
        created.Version.Should().Be(1);

        var liu = await SignedIn("medic.liu", "a long enough password");
        var me = (await liu.Get("/api/users/medic.liu")).ShouldBe(HttpStatusCode.OK).Json;
        me["displayName"]!.ToString().Should().Be("刘医生 Dr Liu");
        me["roles"]!.AsArray().Select(r => r!.ToString()).Should().Equal("FieldReporter");
        me.ToJsonString().Should().NotContain("AQAAAA", "the password hash is never shown");
        (await liu.Get("/api/users")).ShouldBe(HttpStatusCode.Forbidden);
        (await liu.Get("/api/users/admin")).ShouldBe(HttpStatusCode.Forbidden);
        (await Admin.Get("/api/users")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Select(u => u!["username"]!.ToString())
            .Should().Contain(["admin", "wuhan", "medic.liu"]);
        (await liu.Post("/api/incidents", NewIncident("420106"))).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Names_are_taken_once_and_bad_input_names_its_field()
    {
        (await Admin.Post("/api/users", new { username = "wuhan", displayName = "x", password = "a long enough password", roles = new[] { "Commander" }, jurisdictions = new[] { "420100" } }))
            .ShouldBe(HttpStatusCode.Conflict).Json["rule"]!.ToString().Should().Be("username-free");
        var bad = (await Admin.Post("/api/users", new { username = "no spaces", displayName = "", password = "no spaces", roles = new[] { "System" }, jurisdictions = new[] { "99" } }))
            .ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!.AsObject();
        bad.Select(e => e.Key).Should().BeEquivalentTo(["username", "displayName", "password", "roles", "jurisdictions[0]"]);
        (await Admin.Post("/api/users", new { username = "shorty", displayName = "x", password = "abc", roles = new[] { "Responder" }, jurisdictions = new[] { "420100" } }))
            .ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["password"]!.ToString().Should().Contain("at least");
        (await Wuhan.Post("/api/users", new { username = "sneaky", displayName = "x", password = "a long enough password", roles = new[] { "Commander" }, jurisdictions = new[] { "000000" } }))
            .ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_administrator_registers_only_within_their_own_jurisdiction()
    {
        var hubeiAdmin = await Registered("hubei.admin", "Administrator", "420000");
        (await hubeiAdmin.Post("/api/users", new { username = "gz.reporter", displayName = "x", password = "a long enough password", roles = new[] { "FieldReporter" }, jurisdictions = new[] { "440100" } }))
            .ShouldBe(HttpStatusCode.Forbidden).Json["detail"]!.ToString().Should().Contain("440100");
        (await hubeiAdmin.Post("/api/users", new { username = "xg.reporter", displayName = "x", password = "a long enough password", roles = new[] { "FieldReporter" }, jurisdictions = new[] { "420900" } }))
            .ShouldBe(HttpStatusCode.Created);
        var listed = (await hubeiAdmin.Get("/api/users")).ShouldBe(HttpStatusCode.OK);
        var names = listed.Json.AsArray().Select(u => u!["username"]!.ToString()).ToList();
        names.Should().Contain("xg.reporter").And.NotContain("guangdong").And.BeInAscendingOrder(StringComparer.Ordinal);
        long.Parse(listed.Headers["X-Total-Count"]).Should().Be(names.Count, "the total counts Hubei's users only");
        // The area is filtered before the page is cut: one user a page, each within Hubei.
        (await hubeiAdmin.Get("/api/users?offset=1&limit=1")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Select(u => u!["username"]!.ToString())
            .Should().Equal(names[1]);
        (await hubeiAdmin.Get("/api/users/guangdong")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Changed_roles_and_jurisdictions_apply_at_the_next_request_with_the_same_token()
    {
        var reporter = await Registered("grid.wang", "FieldReporter", "420102");
        (await reporter.Post("/api/incidents", NewIncident("420102"))).ShouldBe(HttpStatusCode.Created);

        (await Admin.Post("/api/users/grid.wang/jurisdictions", new { jurisdictions = new[] { "440103" } })).ShouldBe(HttpStatusCode.OK);
        (await reporter.Post("/api/incidents", NewIncident("420102"))).ShouldBe(HttpStatusCode.Forbidden);
        (await reporter.Post("/api/incidents", NewIncident("440103"))).ShouldBe(HttpStatusCode.Created);

        (await Admin.Post("/api/users/grid.wang/roles", new { roles = new[] { "Responder" } })).ShouldBe(HttpStatusCode.OK).Version.Should().Be(4);
        (await reporter.Post("/api/incidents", NewIncident("440103"))).ShouldBe(HttpStatusCode.Forbidden).Json["detail"]!.ToString().Should().Contain("Responder");
        (await Admin.Post("/api/users/grid.wang/roles", new { roles = new[] { "Responder" } })).ShouldBe(HttpStatusCode.Conflict);
        (await Admin.Post("/api/users/nobody.here/roles", new { roles = new[] { "Responder" } })).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_disabled_user_is_refused_at_the_next_request_and_at_sign_in_until_enabled_and_then_signs_in_afresh()
    {
        var responder = await Registered("team.zhao", "Responder", "420100");
        (await responder.Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);

        (await Admin.Post("/api/users/team.zhao/disable", new { reason = "Left the team" })).ShouldBe(HttpStatusCode.OK);
        (await responder.Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized);
        (await Anonymous.Post("/api/auth/token", new { username = "team.zhao", password = "a long enough password" })).ShouldBe(HttpStatusCode.Unauthorized);
        (await Admin.Post("/api/users/admin/disable", new { reason = "oops" })).ShouldBe(HttpStatusCode.Conflict).Json["rule"]!.ToString().Should().Be("disable-self");

        (await Admin.Post("/api/users/team.zhao/enable", new { })).ShouldBe(HttpStatusCode.OK);
        (await responder.Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized, "enabling the user does not bring back the sign-ins the disabling ended");
        (await (await SignedIn("team.zhao", "a long enough password")).Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);
        (await Admin.Get("/api/users/team.zhao")).Json["disabled"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task A_password_is_changed_by_its_user_knowing_the_current_one_or_by_an_administrator()
    {
        var user = await Registered("duty.chen", "Responder", "420100", "the first password");
        (await user.Post("/api/users/duty.chen/password", new { newPassword = "the second password" })).ShouldBe(HttpStatusCode.Forbidden);
        (await user.Post("/api/users/duty.chen/password", new { currentPassword = "wrong", newPassword = "the second password" })).ShouldBe(HttpStatusCode.Forbidden);
        (await user.Post("/api/users/duty.chen/password", new { currentPassword = "the first password", newPassword = "duty.chen" }))
            .ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["newPassword"]!.ToString().Should().Contain("user name");
        (await user.Post("/api/users/duty.chen/password", new { currentPassword = "the first password", newPassword = "the second password" }))
            .ShouldBe(HttpStatusCode.OK);
        (await Anonymous.Post("/api/auth/token", new { username = "duty.chen", password = "the first password" })).ShouldBe(HttpStatusCode.Unauthorized);
        (await user.Get("/api/incidents")).ShouldBe(HttpStatusCode.Unauthorized, "a password change ends every sign-in, the one that made it too");
        user = await SignedIn("duty.chen", "the second password");

        (await user.Post("/api/users/wuhan/password", new { newPassword = "taking over wuhan" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Admin.Post("/api/users/duty.chen/password", new { newPassword = "reset by the administrator" })).ShouldBe(HttpStatusCode.OK);
        await SignedIn("duty.chen", "reset by the administrator");
    }

    [Fact]
    public async Task Every_change_to_the_directory_is_a_decision_of_the_administrator()
    {
        await Registered("clerk.sun", "Responder", "420100");
        (await Admin.Post("/api/users/clerk.sun/disable", new { reason = "Quarantined" })).ShouldBe(HttpStatusCode.OK);
        await Settled();
        var decisions = (await Reviewer.Get("/api/decisions?actor=admin")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        decisions.Select(d => d!["type"]!.ToString()).Should().Contain(["UserRegistered", "UserDisabled"]);
        decisions.Should().Contain(d => d!["type"]!.ToString() == "UserDisabled" && d["rationale"]!.ToString() == "Quarantined");
    }
}
