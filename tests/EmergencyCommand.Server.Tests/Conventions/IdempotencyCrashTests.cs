using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>What only killing a real server can show: idempotency keys in flight when it dies are never stuck.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class IdempotencyCrashTests
{
    [Fact]
    public async Task Killed_under_load_with_keys_in_flight_every_key_retried_after_the_restart_records_exactly_once()
    {
        await using var server = await ServerProcess.StartOnFreshDatabase();
        var token = await Token(server);

        // Given reports flowing in, each with its own key, when the server is killed (kill -9) in the middle of them.
        var keys = Enumerable.Range(0, 300).Select(i => (Key: Guid.NewGuid().ToString(), Title: $"Crash report {i}")).ToList();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, Guid>();
        using (var http = Client(server, token))
        {
            var sending = Task.WhenAll(keys.Chunk(keys.Count / 8).Select(async chunk =>
            {
                foreach (var (key, title) in chunk)
                {
                    try
                    {
                        var answer = await Send(http, key, title);
                        if (answer.StatusCode == HttpStatusCode.Created) acknowledged[key] = await IdOf(answer);
                    }
                    catch (HttpRequestException)
                    {
                    }
                    catch (TaskCanceledException)
                    {
                    }
                }
            }));
            await Eventually(() => acknowledged.Count >= 40);
            server.Kill();
            await sending;
        }

        // Then, once it is back, every key retried is answered, none "in progress", and each report exists once.
        await server.Start();
        token = await Token(server);
        using var retry = Client(server, token);
        foreach (var (key, title) in keys)
        {
            var answer = await Send(retry, key, title);
            answer.StatusCode.Should().Be(HttpStatusCode.Created, $"key {key} must not be stuck: {await answer.Content.ReadAsStringAsync()}");
            var id = await IdOf(answer);
            if (acknowledged.TryGetValue(key, out var first)) id.Should().Be(first, "an acknowledged write is answered as it was");
        }
        var titles = new List<string>();
        for (var offset = 0; ; offset += 500)
        {
            var page = (await retry.GetFromJsonAsync<JsonArray>($"/api/incidents?limit=500&offset={offset}"))!;
            titles.AddRange(page.Select(i => (string)i!["title"]!));
            if (page.Count < 500) break;
        }
        titles.Where(t => t.StartsWith("Crash report ", StringComparison.Ordinal)).Should().OnlyHaveUniqueItems()
            .And.HaveCount(keys.Count);
    }

    private static HttpClient Client(ServerProcess server, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, string key, string title)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents")
        {
            Content = JsonContent.Create(new
            {
                category = "PublicHealth", title, description = "d", jurisdiction = "420102",
                location = new { latitude = 30.62, longitude = 114.26 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hospital",
            }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
    }

    private static async Task<Guid> IdOf(HttpResponseMessage answer) => Guid.Parse((string)(await answer.Content.ReadFromJsonAsync<JsonNode>())!["id"]!);

    private static async Task<string> Token(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var answer = await http.PostAsJsonAsync("/api/auth/token", new { username = "reporter", password = "demo" });
        return (string)(await answer.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold within 60 s.");
            await Task.Delay(20);
        }
    }
}
