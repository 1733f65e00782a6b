using System.Net;
using System.Text.RegularExpressions;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EmergencyCommand.Server.Tests.Conventions;

public sealed class BadInputTests(AppFixture fixture) : ServerTest(fixture)
{
    private static readonly string[] GarbageBodies =
    [
        "not json at all",
        "",
        "null",
        "[]",
        "{\"unterminated\": ",
        "{}",
        """{"category":123,"title":[],"severity":"V","level":"V","dueAt":"tomorrow","occurredAt":5,"dead":-1,"injured":"many","location":"here","jurisdiction":"12","lines":"x","quantity":-5,"priority":"Urgent","checkpoints":{},"validUntil":"never"}""",
        "{\"title\":\"" + new string('x', 100_000) + "\"}",
    ];

    [Fact]
    public async Task Garbage_sent_to_every_route_is_answered_as_a_client_error_never_a_500()
    {
        var incident = await Verified();
        var routes = Fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .Where(r => r.Pattern.StartsWith("api/") || r.Pattern.StartsWith("/api/"))
            .Distinct()
            .ToList();
        routes.Should().HaveCountGreaterThan(10);

        var failures = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            var url = "/" + Regex.Replace(pattern.TrimStart('/'), @"\{(\w+)[^}]*\}", m => m.Groups[1].Value switch
            {
                "id" or "incidentId" => incident.ToString(),
                "code" => "420100",
                _ => Guid.NewGuid().ToString(),
            });
            if (method == "GET")
            {
                var response = await National.Get(url + "?asOf=garbage&jurisdiction=xx&status=zz&fromSequence=-1&limit=abc&from=x&to=y&item=");
                if ((int)response.Status >= 500) failures.Add($"GET {url}: {response}");
                continue;
            }
            foreach (var body in GarbageBodies)
            {
                var response = await National.Send(new HttpMethod(method), url, body, null);
                if ((int)response.Status >= 500 || response.Status == HttpStatusCode.OK && body != "{}")
                    failures.Add($"{method} {url} with {body[..Math.Min(body.Length, 40)]}: {response.ToString()[..Math.Min(300, response.ToString().Length)]}");
            }
        }
        failures.Should().BeEmpty();
        // Whatever was thrown at it, the incident is intact.
        (await National.Get($"/api/incidents/{incident}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_invalid_report_is_a_400_naming_every_bad_field()
    {
        var problem = (await Reporter.Post("/api/incidents", new
        {
            title = "",
            jurisdiction = "999999",
            location = new { latitude = 95.0, longitude = 10.0 },
            occurredAt = DateTimeOffset.UtcNow.AddDays(2).ToString("O"),
        })).ShouldBe(HttpStatusCode.BadRequest).Json;

        problem["status"]!.GetValue<int>().Should().Be(400);
        problem["errors"]!.AsObject().Select(e => e.Key).Should()
            .BeEquivalentTo("category", "title", "jurisdiction", "location.latitude", "occurredAt", "source");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_names_its_field()
    {
        var id = await Verified();
        var problem = (await Wuhan.Post($"/api/incidents/{id}/grade", new { severity = "V", rationale = "x" })).ShouldBe(HttpStatusCode.BadRequest);
        problem.Json["errors"]!["severity"].Should().NotBeNull();
        (await Reporter.Post($"/api/incidents/{id}/sitreps", new { dead = -1, injured = 0, missing = 0, affected = 0 }))
            .ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["dead"].Should().NotBeNull();
    }
}
