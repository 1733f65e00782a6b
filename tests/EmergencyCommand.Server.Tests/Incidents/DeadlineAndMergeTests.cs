using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EmergencyCommand.Server.Tests.Incidents;

public sealed class DeadlineAndMergeTests(AppFixture fixture) : ServerTest(fixture)
{
    private static string InSeconds(int s) => DateTimeOffset.UtcNow.AddSeconds(s).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    private async Task<string?> TaskStatusWithin(Guid incident, Guid task, TimeSpan patience, string wanted)
    {
        var deadline = DateTime.UtcNow + patience;
        string? status;
        do
        {
            status = (await Reviewer.Get($"/api/incidents/{incident}")).Json["tasks"]!.AsArray().Single(t => t!["id"]!.ToString() == task.ToString())!["status"]!.ToString();
            if (status == wanted) return status;
            await Task.Delay(250);
        } while (DateTime.UtcNow < deadline);
        return status;
    }

    [Fact]
    public async Task A_task_not_acknowledged_by_its_deadline_turns_overdue_by_itself_and_escalates_once()
    {
        var incident = await Verified("421202");
        // Deadlines far enough ahead that a loaded machine still dispatches and acknowledges before they pass.
        var late = (await Hubei.Post($"/api/incidents/{incident}/tasks", new { department = "CDC", instruction = "trace", dueAt = InSeconds(5) })).ShouldBe(HttpStatusCode.Created).Id;
        var onTimeDue = DateTimeOffset.UtcNow.AddSeconds(8);
        var onTime = (await Hubei.Post($"/api/incidents/{incident}/tasks", new { department = "Police", instruction = "cordon", dueAt = onTimeDue.ToString("O") })).ShouldBe(HttpStatusCode.Created).Id;
        (await Hubei.Post($"/api/incidents/{incident}/tasks/{onTime}/acknowledge", new { })).ShouldBe(HttpStatusCode.OK);

        (await TaskStatusWithin(incident, late, TimeSpan.FromSeconds(60), "Overdue")).Should().Be("Overdue");
        var pastOnTimeDeadline = onTimeDue.AddSeconds(3) - DateTimeOffset.UtcNow; // its timer fires and must find the task acknowledged
        if (pastOnTimeDeadline > TimeSpan.Zero) await Task.Delay(pastOnTimeDeadline);
        (await TaskStatusWithin(incident, onTime, TimeSpan.Zero, "Acknowledged")).Should().Be("Acknowledged", "acknowledging in time cancels the escalation");

        var timeline = (await Reviewer.Get($"/api/incidents/{incident}/timeline")).Json.AsArray();
        var escalations = timeline.Where(e => e!["type"]!.ToString() == "TaskBecameOverdue").ToList();
        escalations.Should().ContainSingle();
        escalations[0]!["data"]!["escalatedTo"]!.ToString().Should().Be("hubei", "the most local commander covering 421202 among the configured users");
        escalations[0]!["actor"]!.ToString().Should().Be("system");

        await Settled();
        var board = (await Reviewer.Get("/api/situation?jurisdiction=421200")).Json;
        board["tasks"]!["overdue"]!.GetValue<int>().Should().Be(1);
        board["tasks"]!["open"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task A_request_not_fully_allocated_at_needed_by_is_flagged_overdue()
    {
        var request = (await Logistics.Post("/api/supply-requests", new
        {
            requester = "Suizhou hospital", jurisdiction = "421303", priority = "High",
            lines = new[] { new { item = "Oxygen concentrator", quantity = 5 } }, neededBy = InSeconds(3),
        })).ShouldBe(HttpStatusCode.Created).Id;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var timeline = 0;
        while (DateTime.UtcNow < deadline)
        {
            var events = await Fixture.Host.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession().Events.FetchStreamAsync(request);
            timeline = events.Count(e => e.Data is Domain.Supplies.SupplyRequestOverdue);
            if (timeline > 0) break;
            await Task.Delay(250);
        }
        timeline.Should().Be(1);
    }

    [Fact]
    public async Task A_duplicate_report_merges_into_the_survivor_and_the_board_does_not_count_it_twice()
    {
        var survivor = await Verified("420802");
        var duplicate = await Reported("420802");
        await Settled();
        var before = (await Reviewer.Get("/api/situation?jurisdiction=420802")).Json["incidents"]!["total"]!.GetValue<int>();

        (await Reporter.Post($"/api/incidents/{duplicate}/merge", new { intoIncidentId = survivor, rationale = "x" })).ShouldBe(HttpStatusCode.Forbidden);
        (await Hubei.Post($"/api/incidents/{duplicate}/merge", new { intoIncidentId = duplicate, rationale = "x" })).ShouldBe(HttpStatusCode.Conflict);
        (await Hubei.Post($"/api/incidents/{duplicate}/merge", new { intoIncidentId = Guid.NewGuid(), rationale = "x" })).ShouldBe(HttpStatusCode.NotFound);
        (await Hubei.Post($"/api/incidents/{duplicate}/merge", new { intoIncidentId = survivor, rationale = "Same cluster, reported by the hotline" })).ShouldBe(HttpStatusCode.OK);

        var merged = (await Reviewer.Get($"/api/incidents/{duplicate}")).Json;
        merged["status"]!.ToString().Should().Be("Merged");
        merged["mergedInto"]!.ToString().Should().Be(survivor.ToString());
        (await Hubei.Post($"/api/incidents/{duplicate}/verify", new { note = "x" })).ShouldBe(HttpStatusCode.Conflict);
        (await Reviewer.Get($"/api/incidents/{survivor}")).Json["duplicates"]!.AsArray().Select(d => d!.ToString()).Should().Equal(duplicate.ToString());
        (await Reviewer.Get($"/api/incidents/{survivor}/timeline")).Json.AsArray().Last()!["type"]!.ToString().Should().Be("DuplicateAbsorbed");

        await Settled();
        (await Reviewer.Get("/api/situation?jurisdiction=420802")).Json["incidents"]!["total"]!.GetValue<int>().Should().Be(before - 1);
    }
}
