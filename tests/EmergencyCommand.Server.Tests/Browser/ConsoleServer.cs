using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Browser;

/// <summary>One real server process on a fresh database and one Chromium, shared by the console's browser flows.</summary>
public sealed class ConsoleServer : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;
    public Chromium Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartOnFreshDatabase();
        Browser = await Chromium.Launch(Server);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Waits until the condition holds (checked every tenth of a second), at most a generous bound for a loaded machine.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"The condition did not hold within {seconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>The API of the same process, as a demo user: what other people do while a page is open.</summary>
    public async Task<ProcessApi> As(string user)
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        var signedIn = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = "demo" });
        signedIn.EnsureSuccessStatusCode();
        var token = (await signedIn.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.ToString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ProcessApi(http);
    }
}

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

    public void Dispose() => http.Dispose();
}
