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
}
