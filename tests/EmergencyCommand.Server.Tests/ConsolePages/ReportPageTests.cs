using Bunit;
using EmergencyCommand.Server.Incidents.Pages;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.ConsolePages;

public sealed class ReportPageTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    [Fact]
    public async Task A_report_with_its_latitude_but_no_longitude_is_told_the_longitude_is_missing_and_nothing_is_recorded()
    {
        // Given a reporter's form with everything but the longitude
        SignedInAs("reporter", ["FieldReporter"], ["420102"]);
        var before = (await Reporter.Get("/api/incidents?limit=1")).Headers["X-Total-Count"];
        var page = Bunit.Render<ReportIncidentPage>();
        page.Find("#report-title").Input("Fever cluster in a residential block");
        page.Find("#report-latitude").Change("30.62");

        // When they send it
        await page.InvokeAsync(() => page.Find("#report-submit").Click());

        // Then the longitude says it is required, the latitude says nothing, and no incident was recorded
        page.WaitForAssertion(() => Field(page, "#report-longitude").Should().Contain("required"), TimeSpan.FromSeconds(10));
        Field(page, "#report-latitude").Should().NotContain("required");
        (await Reporter.Get("/api/incidents?limit=1")).Headers["X-Total-Count"].Should().Be(before);
    }

    private static string Field(IRenderedComponent<ReportIncidentPage> page, string input) =>
        page.Find(input).Closest(".mud-input-control")!.TextContent;
}
