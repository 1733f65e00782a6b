using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>A real HTTP client for the test server, signed in as one demo user (or with a token of its own).</summary>
public sealed class Api(AppFixture fixture, string? user, string? token = null)
{
    /// <summary>A client holding exactly this access token.</summary>
    public static Api WithToken(AppFixture fixture, string token) => new(fixture, null, token);

    public async Task<Response> Post(string url, object? body, Action<HttpRequestHeaders>? headers = null) =>
        await Send(HttpMethod.Post, url, body is string raw ? raw : JsonSerializer.Serialize(body), headers);

    public Task<Response> Get(string url) => Send(HttpMethod.Get, url, null, null);

    public async Task<Response> Send(HttpMethod method, string url, string? json, Action<HttpRequestHeaders>? headers)
    {
        using var client = fixture.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(method, url);
        if ((token ?? (user is null ? null : await fixture.Tokens.For(user))) is { } bearer)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        headers?.Invoke(request.Headers);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Response(response.StatusCode, text, response.Headers.Location?.ToString())
        {
            Headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
        };
    }
}

public sealed record Response(HttpStatusCode Status, string Body, string? Location)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");
    public Guid Id => Guid.Parse((string)Json["id"]!);
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public long Version => (long)Json["version"]!;

    public Response ShouldBe(HttpStatusCode expected, string? because = null)
    {
        if (Status != expected)
            throw new Xunit.Sdk.XunitException($"Expected {(int)expected} {expected}{(because is null ? "" : $" because {because}")} but got {(int)Status} {Status}: {Body}");
        return this;
    }

    public override string ToString() => $"{(int)Status} {Body}";
}
