using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EmergencyCommand.Server.Tests.Incidents;

/// <summary>The lists the console works from: the incident queue a page at a time, open tasks, the escalation inbox, preferences.</summary>
public sealed class WorkListTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task The_queue_pages_newest_first_with_a_total_and_filters_by_text_category_and_reporter()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
            ids.Add((await Reporter.Post("/api/incidents", NewIncident("420111", title: $"Queue item {i}", category: i % 2 == 0 ? "PublicHealth" : "Accident")))
                .ShouldBe(HttpStatusCode.Created).Id);
        await National.Post("/api/incidents", NewIncident("420111", title: "Queue item by the nation"));

        var first = (await Wuhan.Get("/api/incidents?jurisdiction=420111&limit=2")).ShouldBe(HttpStatusCode.OK);
        first.Headers["X-Total-Count"].Should().Be("6");
        var page = first.Json.AsArray().Select(i => i!["title"]!.ToString()).ToList();
        page.Should().Equal("Queue item by the nation", "Queue item 4");
        (await Wuhan.Get("/api/incidents?jurisdiction=420111&limit=2&offset=2")).Json.AsArray().Select(i => i!["title"]!.ToString())
            .Should().Equal("Queue item 3", "Queue item 2");
        (await Wuhan.Get("/api/incidents?jurisdiction=420111&category=Accident")).Json.AsArray().Should().HaveCount(2);
        (await Wuhan.Get("/api/incidents?jurisdiction=420111&q=ITEM 3")).Json.AsArray().Single()!["id"]!.ToString().Should().Be(ids[3].ToString());
        var mine = (await Reporter.Get("/api/incidents?reportedBy=me&jurisdiction=420111")).Json.AsArray();
        mine.Should().HaveCount(5).And.OnlyContain(i => i!["reportedBy"]!.ToString() == "reporter");
        // As it stood at an instant, the same five, still saying who reported them.
        var asOf = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
        (await Reporter.Get($"/api/incidents?reportedBy=me&jurisdiction=420111&asOf={asOf}")).ShouldBe(HttpStatusCode.OK).Json.AsArray()
            .Should().HaveCount(5).And.OnlyContain(i => i!["reportedBy"]!.ToString() == "reporter");
        (await Wuhan.Get("/api/incidents?limit=0")).ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["limit"].Should().NotBeNull();
    }

    [Fact]
    public async Task Open_tasks_come_soonest_due_first_and_only_from_the_callers_jurisdictions()
    {
        var wuhanIncident = await Verified("420112");
        var guangzhouIncident = await Verified("440112");
        (await Wuhan.Post($"/api/incidents/{wuhanIncident}/tasks", new { department = "CDC", instruction = "later", dueAt = DateTimeOffset.UtcNow.AddHours(9).ToString("O") })).ShouldBe(HttpStatusCode.Created);
        (await Wuhan.Post($"/api/incidents/{wuhanIncident}/tasks", new { department = "Police", instruction = "sooner", dueAt = DateTimeOffset.UtcNow.AddHours(2).ToString("O") })).ShouldBe(HttpStatusCode.Created);
        (await National.Post($"/api/incidents/{guangzhouIncident}/tasks", new { department = "CDC", instruction = "far away", dueAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O") })).ShouldBe(HttpStatusCode.Created);

        var tasks = (await Responder.Get("/api/tasks")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        tasks.Select(t => t!["instruction"]!.ToString()).Should().Equal("sooner", "later");
        tasks[0]!["incidentVersion"]!.GetValue<long>().Should().Be(4);
    }

    [Fact]
    public async Task A_task_that_runs_past_its_deadline_lands_in_the_inbox_of_the_commander_it_was_escalated_to_until_completed()
    {
        var incident = await Verified("420113");
        var task = (await Wuhan.Post($"/api/incidents/{incident}/tasks", new { department = "CDC", instruction = "trace",
            dueAt = DateTimeOffset.UtcNow.AddSeconds(4).ToString("O") })).ShouldBe(HttpStatusCode.Created).Id;

        System.Text.Json.Nodes.JsonArray inbox;
        var until = DateTime.UtcNow.AddSeconds(60);
        do inbox = (await Wuhan.Get("/api/escalations")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        while (inbox.Count == 0 && DateTime.UtcNow < until && await Task.Delay(250).ContinueWith(_ => true));
        inbox.Single()!["taskId"]!.ToString().Should().Be(task.ToString());
        (await Hubei.Get("/api/escalations")).Json.AsArray().Should().BeEmpty("it was escalated to the most local commander, wuhan");
        (await Hubei.Get("/api/escalations?to=all")).Json.AsArray().Should().ContainSingle();
        (await Responder.Get("/api/escalations")).ShouldBe(HttpStatusCode.Forbidden);

        (await Responder.Post($"/api/incidents/{incident}/tasks/{task}/complete", new { outcome = "done late" })).ShouldBe(HttpStatusCode.OK);
        (await Wuhan.Get("/api/escalations")).Json.AsArray().Should().BeEmpty("a met deadline leaves the inbox");
        await using var session = Fixture.Host.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        (await session.LoadAsync<Inbox.Escalation>($"task:{task}")).Should().BeNull("what the inbox reads is what is still open");
    }

    [Fact]
    public async Task Each_user_keeps_their_own_language()
    {
        (await Reporter.Get("/api/me/preferences")).ShouldBe(HttpStatusCode.OK).Json["language"]!.ToString().Should().Be("zh");
        (await Reporter.Post("/api/me/preferences", new { language = "en" })).ShouldBe(HttpStatusCode.OK);
        (await Reporter.Get("/api/me/preferences")).Json["language"]!.ToString().Should().Be("en");
        (await Responder.Get("/api/me/preferences")).Json["language"]!.ToString().Should().Be("zh");
        (await Reporter.Post("/api/me/preferences", new { language = "fr" })).ShouldBe(HttpStatusCode.BadRequest);
    }
}
