using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EmergencyCommand.Server.Platform;

/// <summary>Liveness and readiness for load balancers and ops scripts: open to anyone, and described in the OpenAPI document.</summary>
public static class Health
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Text("Healthy"))
            .WithName("Live").WithSummary("The process answers.").Produces<string>(200, "text/plain").AllowAnonymous();
        app.MapGet("/health/ready", async (HealthCheckService health, CancellationToken ct) =>
            {
                var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), ct);
                return Results.Text(report.Status.ToString(), statusCode: report.Status == HealthStatus.Healthy ? 200 : 503);
            })
            .WithName("Ready").WithSummary("PostgreSQL answers: 200 Healthy, else 503 Unhealthy.")
            .Produces<string>(200, "text/plain").Produces<string>(503, "text/plain").AllowAnonymous();
    }
}
