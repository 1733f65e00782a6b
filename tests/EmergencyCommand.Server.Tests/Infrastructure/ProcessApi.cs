using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>The API of a server process as one signed-in demo user (<see cref="ServerProcess.As"/>).</summary>
public sealed class ProcessApi(HttpClient http) : IDisposable
{
    public async Task<JsonNode> Post(string url, object body)
    {
        using var response = await http.PostAsync(url, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created)) throw new Xunit.Sdk.XunitException($"POST {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> Get(string url) => JsonNode.Parse(await http.GetStringAsync(url))!;

    /// <summary>
    /// An incident reported and verified, and one task dispatched on it due after <paramref name="dueIn"/>: a deadline
    /// for the test to let pass (or not). It leaves room for a loaded machine to run the endpoints' code first.
    /// </summary>
    public async Task<(Guid Incident, Guid Task, DateTimeOffset DueAt)> TaskDueIn(TimeSpan dueIn)
    {
        var incident = (await Post("/api/incidents", new
        {
            category = "PublicHealth", title = "Cluster", description = "", jurisdiction = "420102",
            location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hospital",
        }))["id"]!.GetValue<Guid>();
        await Post($"/api/incidents/{incident}/verify", new { note = "ok" });
        var dueAt = DateTimeOffset.UtcNow.Add(dueIn);
        var task = (await Post($"/api/incidents/{incident}/tasks", new { department = "CDC", instruction = "trace", dueAt = dueAt.ToString("O") }))["id"]!
            .GetValue<Guid>();
        return (incident, task, dueAt);
    }

    public void Dispose() => http.Dispose();
}
