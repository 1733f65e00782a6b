using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

public sealed class HostTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task Health_is_open_and_ready_only_with_postgres()
    {
        (await Anonymous.Get("/health/live")).ShouldBe(HttpStatusCode.OK);
        (await Anonymous.Get("/health/ready")).ShouldBe(HttpStatusCode.OK).Body.Should().Be("Healthy");
    }

    [Theory]
    [InlineData("/api/auth/token", "post")]
    [InlineData("/api/incidents", "post")]
    [InlineData("/api/incidents", "get")]
    [InlineData("/api/incidents/{id}", "get")]
    [InlineData("/api/incidents/{id}/verify", "post")]
    [InlineData("/api/incidents/{id}/dismiss", "post")]
    [InlineData("/api/incidents/{id}/grade", "post")]
    [InlineData("/api/incidents/{id}/tasks", "post")]
    [InlineData("/api/incidents/{id}/tasks/{taskId}/acknowledge", "post")]
    [InlineData("/api/incidents/{id}/tasks/{taskId}/complete", "post")]
    [InlineData("/api/incidents/{id}/sitreps", "post")]
    [InlineData("/api/incidents/{id}/feedback", "post")]
    [InlineData("/api/incidents/{id}/close", "post")]
    [InlineData("/api/incidents/{id}/timeline", "get")]
    [InlineData("/api/jurisdictions/{code}/response-level", "post")]
    [InlineData("/api/jurisdictions/{code}/response-level", "get")]
    [InlineData("/api/jurisdictions/{code}/response-level/termination", "post")]
    [InlineData("/api/decisions", "get")]
    [InlineData("/api/decisions/{id}", "get")]
    [InlineData("/api/situation", "get")]
    [InlineData("/api/situation/live", "get")]
    [InlineData("/api/reviews/incidents/{id}", "get")]
    [InlineData("/api/reviews/jurisdictions/{code}", "get")]
    [InlineData("/api/audit/anchor/verification", "post")]
    [InlineData("/api/depots", "post")]
    [InlineData("/api/depots/{id}/receipts", "post")]
    [InlineData("/api/depots/{id}", "get")]
    [InlineData("/api/supply-requests", "post")]
    [InlineData("/api/supply-requests/{id}/allocations", "post")]
    [InlineData("/api/supply-requests/{id}", "get")]
    [InlineData("/api/allocation-plan", "get")]
    [InlineData("/api/green-channels", "post")]
    [InlineData("/api/green-channels", "get")]
    [InlineData("/api/green-channels/{id}", "get")]
    [InlineData("/api/green-channels/{id}/passes", "post")]
    [InlineData("/api/green-channels/{id}/passes/{passId}/revocation", "post")]
    [InlineData("/api/green-channels/{id}/checkpoints/{code}/passages", "post")]
    [InlineData("/api/green-channels/{id}/disruptions", "post")]
    [InlineData("/api/green-channels/{id}/restoration", "post")]
    [InlineData("/api/green-channels/{id}/closure", "post")]
    [InlineData("/api/shipments", "post")]
    [InlineData("/api/shipments/{id}/delivery", "post")]
    [InlineData("/api/shipments/{id}", "get")]
    [InlineData("/api/audit/verification", "get")]
    [InlineData("/api/audit/anchor", "get")]
    [InlineData("/health/live", "get")]
    [InlineData("/health/ready", "get")]
    [InlineData("/api/replay", "get")]
    [InlineData("/api/incidents/{id}/merge", "post")]
    public async Task The_openapi_document_describes_the_v1_contract_route(string path, string method)
    {
        var document = (await Anonymous.Get("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK).Json;
        document["paths"]![path]?[method].Should().NotBeNull($"{method} {path} is in the contract");
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_the_server_maps()
    {
        var document = (await Anonymous.Get("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK).Json;
        // The console's sign-out is a form's target, not API.
        var routes = Route.All(Fixture.Host).Where(r => !r.Pattern.StartsWith("/openapi", StringComparison.Ordinal) && r.Pattern != "/signout").ToList();
        routes.Should().HaveCountGreaterThan(40, "the endpoint data source lists the server's routes");
        routes.Where(r => document["paths"]![r.OpenApiPath]?[r.Method.ToLowerInvariant()] is null).Select(r => r.ToString())
            .Should().BeEmpty("a generated client needs every route in the document");
    }
}
