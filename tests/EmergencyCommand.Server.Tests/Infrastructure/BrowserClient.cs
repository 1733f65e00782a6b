using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>
/// An HTTP client that behaves like a browser towards the in-process server: it keeps the cookies it is given and sends
/// them back (the test server's own client does not).
/// </summary>
public sealed class BrowserClient : IDisposable
{
    private readonly HttpClient _http;

    public BrowserClient(AppFixture fixture)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new KeepingCookies(Cookies) { InnerHandler = fixture.Host.Server.CreateHandler() })
        {
            BaseAddress = fixture.Host.Server.BaseAddress,
        };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>The anti-forgery header a page would send with its next write.</summary>
    public async Task<(string Name, string Token)> Antiforgery()
    {
        var body = (await _http.GetFromJsonAsync<JsonNode>("/api/auth/antiforgery"))!;
        return (body["headerName"]!.ToString(), body["token"]!.ToString());
    }

    public async Task<HttpResponseMessage> Post(string url, object body, bool withAntiforgery = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (withAntiforgery)
        {
            var (name, token) = await Antiforgery();
            request.Headers.Add(name, token);
        }
        return await _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SignIn(string username, string password = "demo") => Post("/api/auth/session", new { username, password });

    public void Dispose() => _http.Dispose();

    private sealed class KeepingCookies(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var uri = request.RequestUri!;
            if (cookies.GetCookieHeader(uri) is { Length: > 0 } header) request.Headers.Add("Cookie", header);
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set) cookies.SetCookies(uri, cookie);
            return response;
        }
    }
}
