using JasperFx;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Platform;

/// <summary>The first answer to a write sent with an <c>Idempotency-Key</c>, kept so a retry gets it back.</summary>
public sealed class IdempotentRequest
{
    public string Id { get; set; } = "";
    public string Method { get; set; } = "";
    public string Path { get; set; } = "";
    public Instant StartedAt { get; set; }
    public int? Status { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? Body { get; set; }
}

/// <summary>
/// A retried write with the same key (per user) is answered from the stored first answer and runs
/// nothing. The key is claimed before the write runs, so two concurrent retries cannot both append;
/// the second is told the first is still in progress. A failure of the server (5xx) releases the key.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IDocumentStore store, IClock clock)
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

        var id = $"{user}\n{key}";
        if (!await Claim(id, context))
            return;

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            try
            {
                await next(context);
            }
            catch (ProblemException problem) when (problem.Status < 500)
            {
                await ProblemMapping.WriteAsync(context, problem);
            }
        }
        catch
        {
            await Release(id);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode >= 500) await Release(id);
        else await Complete(id, context, buffer);

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

    /// <returns>true when this request holds the key and should run; false when it was answered here.</returns>
    private async Task<bool> Claim(string id, HttpContext context)
    {
        await using var session = store.LightweightSession();
        var existing = await session.LoadAsync<IdempotentRequest>(id, context.RequestAborted);
        if (existing is null)
        {
            session.Insert(new IdempotentRequest
            {
                Id = id, Method = context.Request.Method, Path = context.Request.Path, StartedAt = clock.GetCurrentInstant(),
            });
            try
            {
                await session.SaveChangesAsync(context.RequestAborted);
                return true;
            }
            catch (DocumentAlreadyExistsException)
            {
                await using var again = store.QuerySession();
                existing = await again.LoadAsync<IdempotentRequest>(id, context.RequestAborted);
                if (existing is null) throw new ProblemException(409, "Request in progress", "Retry shortly.");
            }
        }

        if (existing.Method != context.Request.Method || existing.Path != context.Request.Path)
            throw ProblemException.Invalid(Header, $"This key was already used for {existing.Method} {existing.Path}; use a new key for a new request.");
        if (existing.Status is not { } status)
            throw new ProblemException(409, "Request in progress", "A request with this Idempotency-Key is still being processed; retry shortly.");

        context.Response.StatusCode = status;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (existing.Location is not null) context.Response.Headers.Location = existing.Location;
        if (existing.ContentType is not null) context.Response.ContentType = existing.ContentType;
        if (existing.Body is not null) await context.Response.WriteAsync(existing.Body, context.RequestAborted);
        return false;
    }

    private async Task Complete(string id, HttpContext context, MemoryStream buffer)
    {
        await using var session = store.LightweightSession();
        var request = await session.LoadAsync<IdempotentRequest>(id);
        if (request is null) return;
        request.Status = context.Response.StatusCode;
        request.ContentType = context.Response.ContentType;
        request.Location = context.Response.Headers.Location.FirstOrDefault();
        request.Body = Kept(context, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        session.Store(request);
        await session.SaveChangesAsync();
    }

    private async Task Release(string id)
    {
        await using var session = store.LightweightSession();
        session.Delete<IdempotentRequest>(id);
        await session.SaveChangesAsync();
    }
}
