using System.Collections.Concurrent;
using System.Net.Http.Json;
using Alba;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>
/// Signs the demo users in through the real token endpoint, once each for the whole test run: every test server uses the
/// demo signing key and registers the same demo users, so a token from one is good at all (a sign-in costs ~0.5 s of
/// PBKDF2). A token older than ten minutes is replaced before it expires.
/// </summary>
public sealed class Tokens(IAlbaHost host)
{
    private static readonly ConcurrentDictionary<string, (Task<string> Token, DateTime At)> Shared = new();

    public Task<string> For(string username) =>
        Shared.AddOrUpdate(username, SignIn, (name, cached) => DateTime.UtcNow - cached.At < TimeSpan.FromMinutes(10) && !cached.Token.IsFaulted
            ? cached : SignIn(name)).Token;

    private (Task<string>, DateTime) SignIn(string username) => (Fetch(username), DateTime.UtcNow);

    private async Task<string> Fetch(string name)
    {
        var client = host.Server.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = name, password = "demo" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.AccessToken;
    }

    private sealed record TokenBody(string AccessToken);
}
