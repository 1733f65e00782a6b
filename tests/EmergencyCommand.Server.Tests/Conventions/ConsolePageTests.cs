using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>The console's pages, as plain HTTP sees them: nothing without signing in, and the sign-in page itself.</summary>
public sealed class ConsolePageTests(AppFixture fixture) : ServerTest(fixture)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/incidents")]
    [InlineData("/jurisdictions/420000")]
    [InlineData("/checkpoint")]
    [InlineData("/decisions")]
    public async Task A_page_of_the_console_sends_a_stranger_to_sign_in_and_back(string page)
    {
        using var browser = new BrowserClient(Fixture);
        using var response = await browser.Http.GetAsync(page);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.Should().StartWith("/signin").And.Contain("returnUrl=" + Uri.EscapeDataString(page));
    }

    [Fact]
    public async Task The_sign_in_page_is_a_plain_form_with_labels_under_a_strict_content_policy()
    {
        using var browser = new BrowserClient(Fixture);
        using var response = await browser.Http.GetAsync("/signin?lang=en");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<form method=\"post\"").And.Contain("<label for=\"username\"").And.Contain("<label for=\"password\"");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'");
    }
}
