using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EmergencyCommand.Server.Demo;

/// <summary>
/// Talks to this very server over HTTP as a demo user: the demo is written through the same commands as everything else.
/// Access tokens live 15 minutes and the drill runs for hours: a refused token is replaced by signing in again.
/// </summary>
public sealed class DemoClient(HttpClient http)
{
    private readonly Dictionary<string, string> _tokens = new();

    public async Task<JsonNode> Post(string user, string url, object body, CancellationToken ct)
    {
        using var response = await Send(user, () => new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{user} POST {url} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text) ?? new JsonObject();
    }

    public async Task<JsonNode> Get(string user, string url, CancellationToken ct)
    {
        using var response = await Send(user, () => new HttpRequestMessage(HttpMethod.Get, url), ct);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
    }

    private async Task<HttpResponseMessage> Send(string user, Func<HttpRequestMessage> request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token(user, ct));
            var response = await http.SendAsync(message, ct);
            if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized || attempt == 2) return response;
            response.Dispose();
            _tokens.Remove(user);
        }
    }

    private async Task<string> Token(string user, CancellationToken ct)
    {
        if (_tokens.TryGetValue(user, out var token)) return token;
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = "demo" }, ct);
        response.EnsureSuccessStatusCode();
        token = (await response.Content.ReadFromJsonAsync<JsonNode>(ct))!["accessToken"]!.ToString();
        _tokens[user] = token;
        return token;
    }
}
