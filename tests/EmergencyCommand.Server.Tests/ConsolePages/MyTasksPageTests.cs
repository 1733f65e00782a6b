using System.Net;
using Bunit;
using EmergencyCommand.Server.Incidents.Pages;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.ConsolePages;

public sealed class MyTasksPageTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    [Fact]
    public async Task A_sitrep_the_server_refuses_says_why_beside_the_count_and_records_nothing()
    {
        // Given a task dispatched to the responder's district
        var incident = await Verified("420102");
        var task = (await Wuhan.Post($"/api/incidents/{incident}/tasks",
            new { department = "Jiang'an CDC", instruction = "Count the cases", dueAt = InOneDay })).ShouldBe(HttpStatusCode.Created).Id;
        SignedInAs("responder", ["Responder"], ["420100"]);
        var page = Bunit.Render<MyTasks>();
        var card = $"[data-task='{task}']";
        page.WaitForAssertion(() => page.Find($"{card} [data-action=sitrep-open]"), TimeSpan.FromSeconds(10));

        // When the responder clears the count of the dead and files the sitrep
        await page.InvokeAsync(() => page.Find($"{card} [data-action=sitrep-open]").Click());
        page.Find($"{card} .numbers input").Change("");
        await page.InvokeAsync(() => page.Find($"{card} [data-action=sitrep]").Click());

        // Then the field says it is required, and the incident has no sitrep
        page.WaitForAssertion(() => page.Find($"{card} .numbers .mud-input-control").TextContent.Should().Contain("required"), TimeSpan.FromSeconds(10));
        (await Wuhan.Get($"/api/incidents/{incident}")).Json["latestSitrep"].Should().BeNull();
    }
}
