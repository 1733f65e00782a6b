namespace EmergencyCommand.Server.Ui;

/// <summary>
/// One submission of a form: it carries the stream version the page showed (If-Match) and an Idempotency-Key, so a
/// double click or a retry records once and a stale page never overwrites. Busy while it runs (a second click waits
/// for nothing: it is ignored); afterwards it holds the problem, with each field's error, or the next key.
/// </summary>
public sealed class Submission
{
    public string IdempotencyKey { get; private set; } = Guid.NewGuid().ToString("N");

    /// <summary>The version of the stream the page showed when the user acted.</summary>
    public long? IfMatch { get; set; }

    public bool Busy { get; private set; }

    public ApiProblem? Problem { get; private set; }

    /// <summary>The answer was 412: the stream moved on since the page was loaded.</summary>
    public bool Stale { get; private set; }

    public string? ErrorFor(string field) =>
        Problem?.Errors.FirstOrDefault(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } messages
            ? string.Join(" ", messages)
            : null;

    public bool HasError(string field) => ErrorFor(field) is not null;

    /// <summary>The errors of a list field and of its items (<c>lines</c>, <c>lines[0].quantity</c>), for a form that shows the list as one.</summary>
    public string? ErrorsUnder(string list) =>
        Problem?.Errors.Where(e => string.Equals(e.Key, list, StringComparison.OrdinalIgnoreCase)
                || e.Key.StartsWith(list + "[", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value.Select(message => e.Key.Equals(list, StringComparison.OrdinalIgnoreCase) ? message : $"{e.Key}: {message}"))
            .ToList() is { Count: > 0 } messages ? string.Join(" ", messages) : null;

    /// <returns>The API's answer, or null when a submission was already running.</returns>
    public async Task<ApiResult<T>?> Run<T>(Func<Submission, Task<ApiResult<T>>> send)
    {
        if (Busy) return null;
        Busy = true;
        try
        {
            var result = await send(this);
            Problem = result.Ok ? null : result.Problem;
            Stale = result.Status == System.Net.HttpStatusCode.PreconditionFailed;
            // The next, different submission is a new request; a retry of this one (network, crash) reused the key above.
            if (result.Ok || (int)result.Status is >= 400 and < 500) IdempotencyKey = Guid.NewGuid().ToString("N");
            return result;
        }
        finally
        {
            Busy = false;
        }
    }

    public void Clear()
    {
        Problem = null;
        Stale = false;
    }
}
