using System.Collections.Concurrent;
using System.Net.Http.Json;
using Alba;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>Signs the demo users in once each, through the real token endpoint.</summary>
public sealed class Tokens(IAlbaHost host)
{
    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();

    public Task<string> For(string username) => _tokens.GetOrAdd(username, async name =>
    {
        var client = host.Server.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = name, password = "demo" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.AccessToken;
    });

    private sealed record TokenBody(string AccessToken);
}
