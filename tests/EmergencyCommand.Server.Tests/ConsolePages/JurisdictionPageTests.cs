using System.Net;
using Bunit;
using EmergencyCommand.Server.ResponseLevels.Pages;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.ConsolePages;

public sealed class JurisdictionPageTests(AppFixture fixture) : ConsoleComponentTest(fixture)
{
    [Fact]
    public async Task The_scheduler_sees_who_may_supersede_their_change_and_no_button_to_do_it()
    {
        // Given Level IV scheduled for Hongshan district three weeks ahead by the Wuhan commander
        const string code = "420111";
        (await Wuhan.Post($"/api/jurisdictions/{code}/response-level", new
        {
            level = "IV", rationale = "Precaution for the holiday", effectiveAt = DateTimeOffset.UtcNow.AddDays(21).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        })).ShouldBe(HttpStatusCode.OK);

        // The scheduler sees the change and who may withdraw it, but no button
        SignedInAs("wuhan", ["Commander"], ["420100"]);
        var theirs = Bunit.Render<JurisdictionPage>(p => p.Add(c => c.Code, code));
        theirs.WaitForAssertion(() => theirs.Find("[data-testid=supersede-hint]").TextContent.Should().Contain("wuhan"), TimeSpan.FromSeconds(10));
        theirs.FindAll("#supersede").Should().BeEmpty();
    }

    [Fact]
    public async Task The_province_commander_supersedes_it_with_a_rationale_and_the_change_is_gone()
    {
        const string code = "420112";
        (await Wuhan.Post($"/api/jurisdictions/{code}/response-level", new
        {
            level = "IV", rationale = "Precaution", effectiveAt = DateTimeOffset.UtcNow.AddDays(21).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        })).ShouldBe(HttpStatusCode.OK);

        // When the Hubei commander supersedes it from the page
        SignedInAs("hubei", ["Commander"], ["420000"]);
        var page = Bunit.Render<JurisdictionPage>(p => p.Add(c => c.Code, code));
        page.WaitForAssertion(() => page.Find("#supersede"), TimeSpan.FromSeconds(10));
        page.Find("#supersede-rationale").Change("The district has no cases");
        await page.InvokeAsync(() => page.Find("#supersede").Click());

        // Then the scheduled change is gone, on the page and in the API
        page.WaitForAssertion(() => page.FindAll("[data-testid=scheduled]").Should().BeEmpty(), TimeSpan.FromSeconds(10));
        var level = (await Hubei.Get($"/api/jurisdictions/{code}/response-level")).ShouldBe(HttpStatusCode.OK).Json;
        level["history"]!.AsArray().Should().BeEmpty();
        level["version"]!.GetValue<long>().Should().Be(2);
    }
}
