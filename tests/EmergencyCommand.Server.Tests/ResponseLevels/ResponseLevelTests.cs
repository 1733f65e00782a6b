using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.ResponseLevels;

public sealed class ResponseLevelTests(AppFixture fixture) : ServerTest(fixture)
{
    // Each test works on its own prefecture so that tests sharing the server do not meet.
    private static string City(int n) => $"42{n:00}00";

    [Fact]
    public async Task A_commander_declares_escalates_deescalates_and_terminates_with_full_history()
    {
        var code = City(5);
        var incident = await Verified("420502");
        var declared = (await Hubei.Post($"/api/jurisdictions/{code}/response-level",
            new { level = "II", rationale = "First cases confirmed", incidentIds = new[] { incident } })).ShouldBe(HttpStatusCode.OK).Json;
        declared["version"]!.GetValue<long>().Should().Be(1);
        var firstDecision = declared["decisionId"]!.ToString();

        (await Hubei.Post($"/api/jurisdictions/{code}/response-level", new { level = "I", rationale = "Community spread" })).ShouldBe(HttpStatusCode.OK);
        (await Hubei.Post($"/api/jurisdictions/{code}/response-level", new { level = "III", rationale = "No new cases for 14 days" })).ShouldBe(HttpStatusCode.OK);
        (await Hubei.Post($"/api/jurisdictions/{code}/response-level", new { level = "III", rationale = "again" })).ShouldBe(HttpStatusCode.Conflict);
        (await Hubei.Post($"/api/jurisdictions/{code}/response-level/termination", new { rationale = "Over" })).ShouldBe(HttpStatusCode.OK)
            .Json["version"]!.GetValue<long>().Should().Be(4);
        (await Hubei.Post($"/api/jurisdictions/{code}/response-level/termination", new { rationale = "Over again" })).ShouldBe(HttpStatusCode.Conflict);

        var view = (await Reviewer.Get($"/api/jurisdictions/{code}/response-level")).ShouldBe(HttpStatusCode.OK).Json;
        view["level"].Should().BeNull();
        view["version"]!.GetValue<long>().Should().Be(4);
        var history = view["history"]!.AsArray();
        history.Select(h => h!["level"]?.ToString()).Should().Equal("II", "I", "III", null);
        history.Select(h => h!["decidedBy"]!.ToString()).Should().OnlyContain(u => u == "hubei");
        history[0]!["decisionId"]!.ToString().Should().Be(firstDecision);
        history[0]!["incidentIds"]!.AsArray().Select(i => i!.ToString()).Should().Equal(incident.ToString());
        history[0]!["to"]!.ToString().Should().Be(history[1]!["from"]!.ToString());
        history[3]!["to"].Should().BeNull();
    }

    [Fact]
    public async Task Authority_depends_on_the_level_and_the_commanders_jurisdiction()
    {
        var code = City(6);
        (await Wuhan.Post($"/api/jurisdictions/{code}/response-level", new { level = "III", rationale = "x" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Guangdong.Post($"/api/jurisdictions/{code}/response-level", new { level = "I", rationale = "x" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Reviewer.Post($"/api/jurisdictions/{code}/response-level", new { level = "IV", rationale = "x" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Logistics.Post($"/api/jurisdictions/{code}/response-level", new { level = "IV", rationale = "x" })).ShouldBe(HttpStatusCode.Forbidden);

        (await Wuhan.Post("/api/jurisdictions/420100/response-level", new { level = "II", rationale = "x" })).ShouldBe(HttpStatusCode.Forbidden)
            .Json["detail"]!.ToString().Should().Contain("Province");
        (await Wuhan.Post("/api/jurisdictions/420102/response-level", new { level = "III", rationale = "district cluster" })).ShouldBe(HttpStatusCode.OK);
        (await National.Post($"/api/jurisdictions/{code}/response-level", new { level = "I", rationale = "x" })).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Bad_codes_and_levels_are_400()
    {
        (await Hubei.Post("/api/jurisdictions/990000/response-level", new { level = "I", rationale = "x" })).ShouldBe(HttpStatusCode.BadRequest)
            .Json["errors"]!["code"].Should().NotBeNull();
        (await Hubei.Post("/api/jurisdictions/420000/response-level", new { level = "V", rationale = "x" })).ShouldBe(HttpStatusCode.BadRequest);
        (await Hubei.Post("/api/jurisdictions/420000/response-level", new { level = "I" })).ShouldBe(HttpStatusCode.BadRequest)
            .Json["errors"]!["rationale"].Should().NotBeNull();
        (await Hubei.Get("/api/jurisdictions/abc/response-level")).ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_level_takes_effect_when_announced_and_asOf_shows_what_was_in_force()
    {
        var code = City(7);
        var announced = DateTimeOffset.UtcNow.AddHours(-20).ToString("yyyy-MM-ddTHH:mm:ssZ");
        (await Hubei.Post($"/api/jurisdictions/{code}/response-level",
            new { level = "II", rationale = "declared", effectiveAt = announced })).ShouldBe(HttpStatusCode.OK);
        var future = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-ddTHH:mm:ssZ");
        (await Hubei.Post($"/api/jurisdictions/{code}/response-level",
            new { level = "I", rationale = "from 09:00 the day after tomorrow", effectiveAt = future })).ShouldBe(HttpStatusCode.OK);

        var now = (await Reviewer.Get($"/api/jurisdictions/{code}/response-level")).Json;
        now["level"]!.ToString().Should().Be("II", "the escalation is announced but not yet in effect");
        now["decided"]!.ToString().Should().Be("I");
        now["since"]!.ToString().Should().Be(announced);
        var province = (await Reviewer.Get("/api/jurisdictions/420000/response-level")).Json;
        province["name"]!.ToString().Should().Be("湖北省");
        province["nameEn"]!.ToString().Should().Be("Hubei");

        // History has nothing after now: a moment still to come reads as now, the scheduled change still to take effect.
        var later = (await Reviewer.Get($"/api/jurisdictions/{code}/response-level?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(3).ToString("O"))}")).Json;
        later["level"]!.ToString().Should().Be("II");
        later["decided"]!.ToString().Should().Be("I");

        var before = (await Reviewer.Get($"/api/jurisdictions/{code}/response-level?asOf=2019-12-01T00:00:00Z")).Json;
        before["level"].Should().BeNull();
        before["history"]!.AsArray().Should().BeEmpty("nothing had been decided then");
    }
}
