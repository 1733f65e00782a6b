using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Audit;

public sealed class ReviewReportTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task An_incident_review_lists_the_timeline_and_the_intervals_in_json_markdown_and_csv()
    {
        var id = await Reported("420114");
        await Task.Delay(30);
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "CDC confirmed" })).ShouldBe(HttpStatusCode.OK);
        await Task.Delay(30);
        var task = (await Wuhan.Post($"/api/incidents/{id}/tasks", new { department = "Jiang'an CDC", instruction = "trace", dueAt = InOneDay })).Id;
        await Task.Delay(30);
        (await Responder.Post($"/api/incidents/{id}/tasks/{task}/complete", new { outcome = "312 traced" })).ShouldBe(HttpStatusCode.OK);
        var timeline = (await Reviewer.Get($"/api/incidents/{id}/timeline")).Json.AsArray();
        DateTimeOffset At(int i) => DateTimeOffset.Parse(timeline[i]!["at"]!.ToString());

        var report = (await Reviewer.Get($"/api/reviews/incidents/{id}")).ShouldBe(HttpStatusCode.OK).Json;
        report["timeline"]!.AsArray().Select(e => e!["type"]!.ToString()).Should().Equal("IncidentReported", "IncidentVerified", "TaskDispatched", "TaskCompleted");
        report["timeline"]![1]!["rationale"]!.ToString().Should().Be("CDC confirmed");
        report["timeline"]![3]!["actor"]!.ToString().Should().Be("responder");
        var intervals = report["intervals"]!.AsArray().ToDictionary(i => i!["kind"]!.ToString(), i => i!);
        intervals.Keys.Should().BeEquivalentTo("report→verification", "verification→first dispatch", "dispatch→completion");
        DateTimeOffset.Parse(intervals["report→verification"]["from"]!.ToString()).Should().Be(At(0));
        DateTimeOffset.Parse(intervals["report→verification"]["to"]!.ToString()).Should().Be(At(1));
        DateTimeOffset.Parse(intervals["dispatch→completion"]["to"]!.ToString()).Should().Be(At(3));
        intervals["dispatch→completion"]["subject"]!.ToString().Should().Be("Jiang'an CDC");

        var markdown = (await Reviewer.Get($"/api/reviews/incidents/{id}?format=markdown")).ShouldBe(HttpStatusCode.OK).Body;
        markdown.Should().StartWith("# Incident review").And.Contain("| report→verification |").And.Contain("312 traced");
        var csv = (await Reviewer.Get($"/api/reviews/incidents/{id}?format=csv")).ShouldBe(HttpStatusCode.OK).Body.Trim().Split('\n');
        csv.Should().HaveCount(1 + 4 + 3);
        csv[0].Should().StartWith("section,sequence,at");
        // Or by the Accept header, as a spreadsheet or a wiki would ask.
        (await Reviewer.Send(HttpMethod.Get, $"/api/reviews/incidents/{id}", null, h => h.Accept.ParseAdd("text/markdown")))
            .ShouldBe(HttpStatusCode.OK).Body.Should().Be(markdown);
        (await Reviewer.Send(HttpMethod.Get, $"/api/reviews/incidents/{id}", null, h => h.Accept.ParseAdd("text/csv")))
            .ShouldBe(HttpStatusCode.OK).Body.Trim().Split('\n').Should().Equal(csv);
        (await Reviewer.Get($"/api/reviews/incidents/{id}?format=pdf")).ShouldBe(HttpStatusCode.BadRequest);
        // In Chinese for a reader who asks (the console's links say lang=zh): headings, spans, sentences, Beijing times.
        var chinese = (await Reviewer.Get($"/api/reviews/incidents/{id}?format=markdown&lang=zh")).ShouldBe(HttpStatusCode.OK).Body;
        chinese.Should().StartWith("# 事件复盘：").And.Contain("| 上报→核实 |").And.Contain("已核实：CDC confirmed").And.Contain("+08:00")
            .And.NotContain("## Timeline");
        (await Reviewer.Get($"/api/reviews/incidents/{id}?lang=fr")).ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["lang"].Should().NotBeNull();
        (await Reviewer.Get($"/api/reviews/incidents/{Guid.NewGuid()}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_jurisdiction_review_covers_levels_and_incidents_below_it_within_the_range()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        await Verified("420115");
        (await Hubei.Post("/api/jurisdictions/420115/response-level", new { level = "III", rationale = "District cluster" })).ShouldBe(HttpStatusCode.OK);
        (await Hubei.Post("/api/jurisdictions/420115/response-level", new { level = "II", rationale = "Spreading" })).ShouldBe(HttpStatusCode.OK);
        await Reported("440103");

        var report = (await Reviewer.Get($"/api/reviews/jurisdictions/420115?from={Uri.EscapeDataString(start)}")).ShouldBe(HttpStatusCode.OK).Json;
        report["timeline"]!.AsArray().Select(e => e!["type"]!.ToString()).Should().Equal(
            "IncidentReported", "IncidentVerified", "ResponseLevelDeclared", "ResponseLevelEscalated");
        var levels = report["intervals"]!.AsArray().Where(i => i!["kind"]!.ToString().StartsWith("level")).ToList();
        levels.Select(i => i!["kind"]!.ToString()).Should().Equal("level III in force", "level II in force");
        levels[1]!["to"].Should().BeNull("level II is still in force");
    }

    [Fact]
    public async Task A_reason_typed_like_a_formula_reaches_the_csv_as_text()
    {
        var id = await Reported("420102");
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "=HYPERLINK(\"http://x.example\",\"open\")" })).ShouldBe(HttpStatusCode.OK);

        var csv = (await Reviewer.Get($"/api/reviews/incidents/{id}?format=csv")).ShouldBe(HttpStatusCode.OK).Body;

        csv.Should().Contain("\"'=HYPERLINK(\"\"http://x.example\"\"").And.NotContain(",\"=HYPERLINK");
    }
}
