using System.Net;
using Bunit;
using EmergencyCommand.Server.Incidents.Pages;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.ConsolePages;

public sealed class IncidentPageTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    [Fact]
    public async Task A_task_without_a_department_shows_the_servers_field_error_beside_the_field_and_records_nothing()
    {
        // Given a verified incident in Wuhan
        var id = (await Wuhan.Post("/api/incidents", new
        {
            category = "PublicHealth", title = "Fever clinic queue", description = "", jurisdiction = "420102",
            location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), source = "Hospital",
        })).ShouldBe(HttpStatusCode.Created).Id;
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "seen" })).ShouldBe(HttpStatusCode.OK);
        SignedInAs("wuhan", ["Commander"], ["420100"]);
        var page = Bunit.Render<IncidentPage>(p => p.Add(c => c.Id, id));
        page.WaitForAssertion(() => page.Find("#dispatch"), TimeSpan.FromSeconds(10));

        // When the commander dispatches with only an instruction
        page.Find("#task-instruction").Change("Open 200 more beds");
        await page.InvokeAsync(() => page.Find("#dispatch").Click());

        // Then the department field carries the server's message and the incident is unchanged
        page.WaitForAssertion(() => page.Find("#task-department").Closest(".mud-input-control")!.TextContent.Should().Contain("required"),
            TimeSpan.FromSeconds(10));
        (await Wuhan.Get($"/api/incidents/{id}")).Json["tasks"]!.AsArray().Should().BeEmpty();
        page.Find("[data-testid=version]").TextContent.Should().Be("v2");
    }

    [Fact]
    public async Task An_incident_closed_with_a_waiver_shows_the_reporter_why_and_takes_no_more_feedback()
    {
        // Given a report by the field reporter, verified and closed without feedback, with a waiver
        var id = await Verified("420102");
        (await Wuhan.Post($"/api/incidents/{id}/close", new { summary = "False alarm at the sensor", feedbackWaiver = "Sensor alarm: no one to tell" }))
            .ShouldBe(HttpStatusCode.OK);

        // When the reporter opens their reports, then the feedback step is marked waived, not done, with the reason
        SignedInAs("reporter", ["FieldReporter"], ["420100"]);
        var mine = Bunit.Render<MyReports>();
        var card = $"[data-incident='{id}']";
        mine.WaitForAssertion(() => mine.Find($"{card} [data-testid=waiver]").TextContent.Should().Contain("Sensor alarm: no one to tell"),
            TimeSpan.FromSeconds(10));
        mine.Find($"{card} .loop li.waived").TextContent.Should().Contain("免予反馈");
        mine.FindAll($"{card} .loop li.done").Should().HaveCount(5, "reported, verified, dispatched, completed and closed; feedback was waived");

        // and the closed incident's page offers no feedback the server would refuse
        var page = Bunit.Render<IncidentPage>(p => p.Add(c => c.Id, id));
        page.WaitForAssertion(() => page.Find("[data-testid=version]"), TimeSpan.FromSeconds(10));
        page.FindAll("#give-feedback").Should().BeEmpty();
    }

    [Fact]
    public async Task A_merge_without_a_rationale_says_so_beside_its_own_field_and_nowhere_else()
    {
        // Given two reports of the same fever cluster, not yet verified (the usual case for a duplicate)
        var duplicate = await Reported("420103");
        var survivor = await Reported("420103");
        SignedInAs("wuhan", ["Commander"], ["420100"]);
        var page = Bunit.Render<IncidentPage>(p => p.Add(c => c.Id, duplicate));
        page.WaitForAssertion(() => page.Find("#merge"), TimeSpan.FromSeconds(10));

        // When the commander merges without a rationale (the survivor picked through the component: its list is a popover)
        await page.InvokeAsync(() => page.FindComponents<MudBlazor.MudSelect<Guid?>>()
            .Single(s => s.Instance.Label == "并入事件").Instance.ValueChanged.InvokeAsync(survivor));
        await page.InvokeAsync(() => page.Find("#merge").Click());

        // Then the merge's rationale carries the server's message, the verify note does not, and nothing is merged.
        page.WaitForAssertion(() => page.Find("#merge-rationale").Closest(".mud-input-control")!.TextContent.Should().Contain("required"),
            TimeSpan.FromSeconds(10));
        page.Find("#verify-note").Closest(".mud-input-control")!.TextContent.Should().NotContain("required");
        (await Wuhan.Get($"/api/incidents/{duplicate}")).Json["status"]!.ToString().Should().Be("Reported");
    }
}
