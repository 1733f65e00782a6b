using System.Security.Cryptography;
using System.Text;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EmergencyCommand.Server.Platform;

/// <summary>A committed write sent with an <c>Idempotency-Key</c>: what it was, and the answer it got.</summary>
public sealed class IdempotentRequest
{
    public string Id { get; set; } = "";
    public string Method { get; set; } = "";
    public string Path { get; set; } = "";
    /// <summary>SHA-256 of the method, the path and the body: the same key with another request is refused.</summary>
    public string Fingerprint { get; set; } = "";
    public Instant CommittedAt { get; set; }
    public Instant ExpiresAt { get; set; }
    public int Status { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? Body { get; set; }
}

public sealed class IdempotencyOptions
{
    /// <summary>How long a key's answer is kept for retries (<c>Idempotency:KeepHours</c>).</summary>
    public int KeepHours { get; set; } = 24;
}

/// <summary>
/// A retried write with the same key (per user) gets the first answer back and runs nothing. The key, the request's
/// fingerprint and the answer are committed in the command's own transaction (<see cref="PendingCommit"/>): a
/// command that never committed left no key behind and is simply run again; one that did is answered as it was.
/// The same key with a different request is 422. Refusals (4xx) and failures are not kept: a retry runs again, so a
/// corrected If-Match gets its chance. Twins racing with one key: the second to commit rolls back and replays the first.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IDocumentStore store, IClock clock, IOptions<IdempotencyOptions> options)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[Header].FirstOrDefault();
        var user = context.User.ToActor()?.UserName;
        if (string.IsNullOrEmpty(key) || user is null || !IsWrite(context.Request.Method))
        {
            await next(context);
            return;
        }
        if (key.Length > 200) throw ProblemException.Invalid(Header, "must be at most 200 characters");
        if (SafeValues.Problem(key) is { } problem) throw ProblemException.Invalid(Header, problem);

        var id = $"{user}\n{key}";
        var fingerprint = await Fingerprint(context.Request);
        if (await Existing(id, context.RequestAborted) is { } earlier)
        {
            await Replay(earlier, fingerprint, context);
            return;
        }

        var pending = PendingCommit.Begin();
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        IDocumentSession? session = null;
        try
        {
            try
            {
                await next(context);
            }
            catch (ProblemException refused) when (refused.Status < 500)
            {
                await ProblemMapping.WriteAsync(context, refused);
            }
            finally
            {
                session = pending.Close();
            }

            if (session is not null && context.Response.StatusCode < 400)
            {
                var answer = Answer(id, fingerprint, context, buffer);
                session.Insert(answer);
                try
                {
                    await session.SaveChangesAsync(context.RequestAborted);
                }
                catch (DocumentAlreadyExistsException)
                {
                    // A twin with this key committed first; this one's events rolled back with its answer.
                    await ReplayTwin(id, fingerprint, context, buffer);
                }
                catch (Exception e) when (Attempts.IsLostRace(e))
                {
                    throw new ProblemException(409, "Concurrent change",
                        "The stream changed while this command ran; nothing was recorded. Retry with the same Idempotency-Key.");
                }
            }
            else if (context.Response.StatusCode >= 400)
            {
                // Refused, perhaps only because a twin with this key had just changed the stream: then its answer is this one's.
                await ReplayTwin(id, fingerprint, context, buffer);
            }
        }
        finally
        {
            if (session is not null) await session.DisposeAsync();
            context.Response.Body = original;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// Fields of this request's answer that are shown once (a pass code): the answer kept for a retry has them as null,
    /// so they never reach the database.
    /// </summary>
    public static void KeepWithout(HttpContext context, params string[] jsonFields) => context.Items[ShownOnce] = jsonFields;

    private const string ShownOnce = "idempotency.shownOnce";

    private static string Kept(HttpContext context, string body)
    {
        if (context.Items[ShownOnce] is not string[] fields || body.Length == 0 || System.Text.Json.Nodes.JsonNode.Parse(body) is not System.Text.Json.Nodes.JsonObject json)
            return body;
        foreach (var field in fields.Where(json.ContainsKey)) json[field] = null;
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static async Task<string> Fingerprint(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0) sha.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>The committed request with this key, if one is still kept; an expired one is forgotten here.</summary>
    private async Task<IdempotentRequest?> Existing(string id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var existing = await session.LoadAsync<IdempotentRequest>(id, ct);
        if (existing is null || existing.ExpiresAt > clock.GetCurrentInstant()) return existing;
        session.Delete(existing);
        await session.SaveChangesAsync(ct);
        return null;
    }

    private IdempotentRequest Answer(string id, string fingerprint, HttpContext context, MemoryStream buffer)
    {
        var now = clock.GetCurrentInstant();
        var body = Kept(context, Encoding.UTF8.GetString(buffer.ToArray()));
        return new IdempotentRequest
        {
            Id = id, Method = context.Request.Method, Path = context.Request.Path, Fingerprint = fingerprint,
            CommittedAt = now, ExpiresAt = now + Duration.FromHours(options.Value.KeepHours),
            Status = context.Response.StatusCode, ContentType = context.Response.ContentType,
            Location = context.Response.Headers.Location.FirstOrDefault(), Body = body,
        };
    }

    private async Task ReplayTwin(string id, string fingerprint, HttpContext context, MemoryStream buffer)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<IdempotentRequest>(id) is not { } twin) return;
        buffer.SetLength(0);
        context.Response.Headers.Remove("Location");
        await Replay(twin, fingerprint, context);
    }

    private static async Task Replay(IdempotentRequest earlier, string fingerprint, HttpContext context)
    {
        if (!string.Equals(earlier.Fingerprint, fingerprint, StringComparison.Ordinal))
            throw new ProblemException(422, "Idempotency-Key reused",
                $"This key was already used for another request ({earlier.Method} {earlier.Path}, with another body); use a new key for a new request.",
                new Dictionary<string, string[]> { [Header] = ["was already used for another request"] });
        context.Response.StatusCode = earlier.Status;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (earlier.Location is not null) context.Response.Headers.Location = earlier.Location;
        if (earlier.ContentType is not null) context.Response.ContentType = earlier.ContentType;
        if (earlier.Body is not null) await context.Response.WriteAsync(earlier.Body, context.RequestAborted);
    }
}
