using System.Net;
using Bunit;
using EmergencyCommand.Server.Incidents.Pages;
using EmergencyCommand.Server.Tests.Infrastructure;
using EmergencyCommand.Server.Ui;
using Microsoft.Extensions.DependencyInjection;

namespace EmergencyCommand.Server.Tests.ConsolePages;

/// <summary>The console's lists and pickers: filtered before they are cut, and never silently short.</summary>
public sealed class ConsoleListTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    [Fact]
    public async Task A_reporter_with_more_reports_than_a_page_is_told_so_and_shows_the_rest()
    {
        // Given 51 reports by the reporter in their district
        await InParallel(51, async i => (await Reporter.Post("/api/incidents", NewIncident("420104", $"Fever case {i}"))).ShouldBe(HttpStatusCode.Created));
        SignedInAs("reporter", ["FieldReporter"], ["420102"]);

        // When the reporter opens their reports, the newest 50 show, with the count of all
        var page = Bunit.Render<MyReports>();
        page.WaitForAssertion(() => page.FindAll("[data-incident]").Count.Should().Be(50), TimeSpan.FromSeconds(30));
        page.Find("[data-testid=more-reports]").TextContent.Should().Contain("50").And.Contain("51");

        // Then "show more" shows the last one, and nothing is left to show
        await page.InvokeAsync(() => page.Find("#more-reports").Click());
        page.WaitForAssertion(() => page.FindAll("[data-incident]").Count.Should().Be(51), TimeSpan.FromSeconds(30));
        page.FindAll("#more-reports").Should().BeEmpty();
    }

    [Fact]
    public async Task A_pickers_open_incidents_are_not_pushed_out_by_newer_dismissed_ones()
    {
        // Given an open report, then sixty newer ones in the same district, all dismissed
        var open = await Reported("420116");
        await InParallel(60, async _ =>
        {
            var id = await Reported("420116");
            (await Wuhan.Post($"/api/incidents/{id}/dismiss", new { reason = "Duplicate of a hotline call" })).ShouldBe(HttpStatusCode.OK);
        });
        SignedInAs("wuhan", ["Commander"], ["420100"]);

        // When a picker asks for the district's open incidents, then the open one is offered, and only it
        var offered = await OpenIncidents.In(Bunit.Services.GetRequiredService<ConsoleApi>(), "420116");
        offered.Items.Select(i => i.Id).Should().Equal(open);
        offered.Cut.Should().BeFalse();
    }
}
