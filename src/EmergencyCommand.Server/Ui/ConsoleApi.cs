using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Components.Authorization;

namespace EmergencyCommand.Server.Ui;

/// <summary>What the API answered: the value, or the problem with each field's error.</summary>
public sealed record ApiResult<T>(HttpStatusCode Status, T? Value, ApiProblem? Problem, IReadOnlyDictionary<string, string> Headers)
{
    public bool Ok => (int)Status is >= 200 and < 300;
}

/// <summary>An RFC 7807 answer as the console shows it: the detail, the rule broken, and the error of each field.</summary>
public sealed record ApiProblem(string Title, string? Detail, string? Rule, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The rule of a problem met before any answer came: the server could not be reached, or did not answer in time.</summary>
    public const string Unreachable = "unreachable";

    public string Say => Detail ?? Title;
}

/// <summary>Who the console is acting for, as the API wants it: a bearer token for the signed-in user, in their sign-in.</summary>
public interface IAccessTokens
{
    Task<string> For(System.Security.Claims.ClaimsPrincipal user, CancellationToken ct);
}

/// <summary>
/// The console's only way to read and write: the server's own HTTP API, as the signed-in user. Every action goes through
/// the same validation, access rules, If-Match and Idempotency-Key as any other client's; there is no second way to write.
/// </summary>
public sealed class ConsoleApi(HttpClient http, IAccessTokens tokens, AuthenticationStateProvider authentication, ApiReachability reachability,
    Texts words)
{
    private static readonly JsonSerializerOptions Json = Options();

    private static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Platform.Json.Configure(options);
        return options;
    }

    /// <summary>The signed-in user's name (empty while nobody is).</summary>
    public async Task<string> User() => (await authentication.GetAuthenticationStateAsync()).User.ToActor()?.UserName ?? "";

    private async Task<System.Security.Claims.ClaimsPrincipal?> SignedIn() =>
        (await authentication.GetAuthenticationStateAsync()).User is { Identity.IsAuthenticated: true } user ? user : null;

    public Task<ApiResult<T>> Get<T>(string url, CancellationToken ct = default) => Send<T>(HttpMethod.Get, url, null, null, ct);

    /// <param name="submission">The If-Match and Idempotency-Key of this submission, if it carries them.</param>
    public Task<ApiResult<T>> Post<T>(string url, object? body, Submission? submission = null, CancellationToken ct = default) =>
        Send<T>(HttpMethod.Post, url, body ?? new { }, submission, ct);

    private async Task<ApiResult<T>> Send<T>(HttpMethod method, string url, object? body, Submission? submission, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // Timelines and changes come back told in the user's language.
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(words.Language == "en" ? "en" : "zh-CN"));
        if (await SignedIn() is { } user) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.For(user, ct));
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
        if (submission?.IfMatch is { } version) request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        if (submission is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", submission.IdempotencyKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            reachability.Answered(true);
            if (response.IsSuccessStatusCode)
                return new ApiResult<T>(response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<T>(text, Json), null, headers);
            return new ApiResult<T>(response.StatusCode, default, ProblemOf(text, response.StatusCode), headers);
        }
        // A page must say so, not die with its circuit (a restart, a failover, a timeout under load). Whether the server
        // recorded it is unknown: a 503 keeps the submission's idempotency key, so trying again cannot record it twice.
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            reachability.Answered(false);
            return new ApiResult<T>(HttpStatusCode.ServiceUnavailable, default,
                new ApiProblem("The server cannot be reached.", null, ApiProblem.Unreachable, new Dictionary<string, string[]>()),
                new Dictionary<string, string>());
        }
    }

    private static ApiProblem ProblemOf(string text, HttpStatusCode status)
    {
        try
        {
            var node = JsonNode.Parse(text)!;
            var errors = node["errors"]?.AsObject().ToDictionary(e => e.Key, e => e.Value!.AsArray().Select(m => m!.ToString()).ToArray())
                         ?? new Dictionary<string, string[]>();
            return new ApiProblem(node["title"]?.ToString() ?? status.ToString(), node["detail"]?.ToString(), node["rule"]?.ToString(), errors);
        }
        catch (JsonException)
        {
            return new ApiProblem(status.ToString(), null, null, new Dictionary<string, string[]>());
        }
    }
}

/// <summary>
/// Tokens minted in the server for the signed-in user of a circuit, in the sign-in of the cookie that opened it (the API
/// then checks them against the directory like any other, so they end with it), replaced a few minutes before they expire.
/// </summary>
public sealed class CircuitTokens(Identity.Tokens tokens, Identity.UserDirectory directory, NodaTime.IClock clock) : IAccessTokens
{
    private string? _token;
    private NodaTime.Instant _expires;

    public async Task<string> For(System.Security.Claims.ClaimsPrincipal signedIn, CancellationToken ct)
    {
        if (_token is not null && _expires - clock.GetCurrentInstant() > NodaTime.Duration.FromMinutes(3)) return _token;
        var username = signedIn.ToActor()?.UserName ?? throw new InvalidOperationException("Nobody is signed in.");
        var signIn = Identity.SignInSession.Of(signedIn) ?? throw new InvalidOperationException($"{username}'s circuit names no sign-in.");
        var user = await directory.Find(username, ct) ?? throw new InvalidOperationException($"{username} is not in the directory.");
        (_token, _expires) = tokens.AccessTokenFor(user, signIn);
        return _token;
    }
}
