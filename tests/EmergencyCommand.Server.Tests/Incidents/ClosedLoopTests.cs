using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Incidents;

public sealed class ClosedLoopTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task An_incident_runs_the_whole_loop_from_report_to_close()
    {
        var report = (await Reporter.Post("/api/incidents", NewIncident())).ShouldBe(HttpStatusCode.Created);
        var id = report.Id;
        report.Version.Should().Be(1);
        report.Location.Should().Be($"/api/incidents/{id}");

        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "CDC confirmed" })).ShouldBe(HttpStatusCode.OK).Version.Should().Be(2);
        (await Wuhan.Post($"/api/incidents/{id}/grade", new { severity = "II", rationale = "27 cases, spreading" })).ShouldBe(HttpStatusCode.OK);

        var fever = (await Wuhan.Post($"/api/incidents/{id}/tasks",
            new { department = "Jianghan CDC", instruction = "Trace contacts", dueAt = InOneDay })).ShouldBe(HttpStatusCode.Created).Id;
        var market = (await Wuhan.Post($"/api/incidents/{id}/tasks",
            new { department = "Market supervision", instruction = "Close the market", dueAt = InOneDay })).ShouldBe(HttpStatusCode.Created).Id;

        (await Responder.Post($"/api/incidents/{id}/tasks/{fever}/acknowledge", new { })).ShouldBe(HttpStatusCode.OK);
        (await Responder.Post($"/api/incidents/{id}/tasks/{fever}/complete", new { outcome = "312 contacts traced" })).ShouldBe(HttpStatusCode.OK);

        var early = (await Wuhan.Post($"/api/incidents/{id}/close", new { summary = "done" })).ShouldBe(HttpStatusCode.Conflict);
        early.Json["detail"]!.ToString().Should().Contain("Market supervision");

        (await Responder.Post($"/api/incidents/{id}/tasks/{market}/complete", new { outcome = "Market closed and disinfected" })).ShouldBe(HttpStatusCode.OK);
        (await Reporter.Post($"/api/incidents/{id}/sitreps", new { dead = 1, injured = 0, missing = 0, affected = 41, note = "41 cases" })).ShouldBe(HttpStatusCode.OK);
        (await Reporter.Post($"/api/incidents/{id}/feedback", new { summary = "Residents told the market is closed" })).ShouldBe(HttpStatusCode.OK);
        (await Wuhan.Post($"/api/incidents/{id}/close", new { summary = "Cluster contained" })).ShouldBe(HttpStatusCode.OK).Version.Should().Be(11);

        var incident = (await Reviewer.Get($"/api/incidents/{id}")).ShouldBe(HttpStatusCode.OK).Json;
        incident["status"]!.ToString().Should().Be("Closed");
        incident["severity"]!.ToString().Should().Be("II");
        incident["version"]!.GetValue<long>().Should().Be(11);
        incident["jurisdiction"]!.ToString().Should().Be("420102");
        incident["occurredAt"]!.ToString().Should().Be("2020-01-20T08:00:00Z");
        incident["tasks"]!.AsArray().Select(t => t!["status"]!.ToString()).Should().Equal("Completed", "Completed");
        incident["latestSitrep"]!["affected"]!.GetValue<int>().Should().Be(41);

        var timeline = (await Reviewer.Get($"/api/incidents/{id}/timeline")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        timeline.Select(e => e!["type"]!.ToString()).Should().Equal(
            "IncidentReported", "IncidentVerified", "IncidentGraded", "TaskDispatched", "TaskDispatched", "TaskAcknowledged",
            "TaskCompleted", "TaskCompleted", "SitrepFiled", "FeedbackGiven", "IncidentClosed");
        timeline.Select(e => e!["version"]!.GetValue<long>()).Should().BeInAscendingOrder().And.HaveCount(11);
        timeline.Select(e => e!["sequence"]!.GetValue<long>()).Should().BeInAscendingOrder();
        timeline.Select(e => e!["actor"]!.ToString()).Should().Equal(
            "reporter", "wuhan", "wuhan", "wuhan", "wuhan", "responder", "responder", "responder", "reporter", "reporter", "wuhan");
        timeline[2]!["summary"]!.ToString().Should().Contain("27 cases, spreading");
    }

    [Fact]
    public async Task Closing_needs_feedback_or_a_waiver_and_the_timeline_keeps_why()
    {
        // Given a verified incident with no task open and no feedback to anyone.
        var id = await Verified("420102");
        var close = $"/api/incidents/{id}/close";

        // When the commander closes it without a word to the reporter, then the loop stays open, and the answer says how to close it.
        var refused = (await Wuhan.Post(close, new { summary = "Contained" })).ShouldBe(HttpStatusCode.Conflict).Json;
        (refused["rule"]!.ToString(), refused["detail"]!.ToString()).Should().Match<(string Rule, string Detail)>(p => p.Rule == "close-after-feedback" && p.Detail.Contains("feedbackWaiver"));
        (await Wuhan.Post(close, new { summary = "Contained", feedbackWaiver = new string('x', 2001) })).ShouldBe(HttpStatusCode.BadRequest)
            .Json["errors"]!["feedbackWaiver"].Should().NotBeNull();
        (await Reviewer.Get($"/api/incidents/{id}")).Json["status"]!.ToString().Should().Be("Verified");

        // With a waiver it closes, and the timeline says it closed without feedback, and why.
        (await Wuhan.Post(close, new { summary = "Contained", feedbackWaiver = "Sensor alarm: no reporter to tell" })).ShouldBe(HttpStatusCode.OK);
        var closed = (await Reviewer.Get($"/api/incidents/{id}/timeline")).Json.AsArray()[^1]!;
        closed["type"]!.ToString().Should().Be("IncidentClosed");
        closed["summary"]!.ToString().Should().Contain("without feedback").And.Contain("Sensor alarm: no reporter to tell");

        // A reader who asks in Chinese (as the console does for its Chinese users) has the same fact told in Chinese.
        var asked = await Reviewer.Send(HttpMethod.Get, $"/api/incidents/{id}/timeline", null, h => h.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9,en;q=0.8"));
        asked.Json.AsArray()[^1]!["summary"]!.ToString().Should().Be("办结，免予反馈（Sensor alarm: no reporter to tell）：Contained");
        // and the answer says so, for any cache between them
        (asked.Headers["Content-Language"], asked.Headers["Vary"]).Should().Be(("zh-CN", "Accept-Language"));
    }

    [Fact]
    public async Task A_dismissed_incident_takes_no_tasks()
    {
        var id = await Reported();
        (await Wuhan.Post($"/api/incidents/{id}/dismiss", new { reason = "Duplicate of a hotline call" })).ShouldBe(HttpStatusCode.OK);

        var refused = (await Wuhan.Post($"/api/incidents/{id}/tasks", new { department = "CDC", instruction = "x", dueAt = InOneDay }))
            .ShouldBe(HttpStatusCode.Conflict);
        refused.Json["detail"]!.ToString().Should().Contain("Dismissed");
        (await Wuhan.Get($"/api/incidents/{id}")).Json["status"]!.ToString().Should().Be("Dismissed");
    }

    [Fact]
    public async Task A_task_is_acknowledged_once_and_completed_once()
    {
        var id = await Verified();
        var task = (await Wuhan.Post($"/api/incidents/{id}/tasks", new { department = "CDC", instruction = "x", dueAt = InOneDay })).Id;

        (await Responder.Post($"/api/incidents/{id}/tasks/{task}/acknowledge", new { })).ShouldBe(HttpStatusCode.OK);
        (await Responder.Post($"/api/incidents/{id}/tasks/{task}/acknowledge", new { })).ShouldBe(HttpStatusCode.Conflict);
        (await Responder.Post($"/api/incidents/{id}/tasks/{task}/complete", new { outcome = "done" })).ShouldBe(HttpStatusCode.OK);
        (await Responder.Post($"/api/incidents/{id}/tasks/{task}/complete", new { outcome = "again" })).ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Unknown_incidents_and_tasks_are_404()
    {
        (await Wuhan.Get($"/api/incidents/{Guid.NewGuid()}")).ShouldBe(HttpStatusCode.NotFound);
        (await Wuhan.Get($"/api/incidents/{Guid.NewGuid()}/timeline")).ShouldBe(HttpStatusCode.NotFound);
        (await Wuhan.Post($"/api/incidents/{Guid.NewGuid()}/verify", new { note = "x" })).ShouldBe(HttpStatusCode.NotFound);

        var id = await Verified();
        (await Responder.Post($"/api/incidents/{id}/tasks/{Guid.NewGuid()}/complete", new { outcome = "x" })).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_filters_by_covered_jurisdiction_and_status()
    {
        var wuhanIncident = await Verified("420102");
        var guangzhouIncident = await Reported("440103");

        var hubei = (await Reviewer.Get("/api/incidents?jurisdiction=420000")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        hubei.Select(i => Guid.Parse(i!["id"]!.ToString())).Should().Contain(wuhanIncident).And.NotContain(guangzhouIncident);
        hubei.Should().OnlyContain(i => i!["jurisdiction"]!.ToString().StartsWith("42"));

        var reported = (await Reviewer.Get("/api/incidents?status=Reported")).Json.AsArray();
        reported.Select(i => Guid.Parse(i!["id"]!.ToString())).Should().Contain(guangzhouIncident).And.NotContain(wuhanIncident);

        (await Reviewer.Get("/api/incidents?status=Bogus")).ShouldBe(HttpStatusCode.BadRequest).Body.Should().Contain("status");
        (await Reviewer.Get("/api/incidents?jurisdiction=99")).ShouldBe(HttpStatusCode.BadRequest).Body.Should().Contain("jurisdiction");
    }

    [Fact]
    public async Task AsOf_shows_the_incident_as_it_stood_then()
    {
        var id = await Reported();
        var firstAt = (await Wuhan.Get($"/api/incidents/{id}/timeline")).Json.AsArray()[0]!["at"]!.ToString();
        await Task.Delay(50);
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "ok" })).ShouldBe(HttpStatusCode.OK);

        var then = (await Wuhan.Get($"/api/incidents/{id}?asOf={Uri.EscapeDataString(firstAt)}")).ShouldBe(HttpStatusCode.OK).Json;
        then["status"]!.ToString().Should().Be("Reported");
        then["version"]!.GetValue<long>().Should().Be(1);
        (await Wuhan.Get($"/api/incidents/{id}")).Json["status"]!.ToString().Should().Be("Verified");

        (await Wuhan.Get($"/api/incidents/{id}?asOf=2000-01-01T00:00:00Z")).ShouldBe(HttpStatusCode.NotFound);
        (await Wuhan.Get($"/api/incidents/{id}?asOf=yesterday")).ShouldBe(HttpStatusCode.BadRequest).Body.Should().Contain("asOf");
    }
}
