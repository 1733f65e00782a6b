using EmergencyCommand.Domain.Shared;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// A request that cannot go on, with the RFC 7807 answer it gets. Thrown anywhere below an endpoint
/// and written by <see cref="ProblemMapping"/>, the one place errors become HTTP answers.
/// </summary>
public sealed class ProblemException(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static ProblemException NotFound(string what) => new(404, "Not found", $"{what} does not exist.");
    public static ProblemException Forbidden(string detail) => new(403, "Forbidden", detail);
    public static ProblemException Refused(RuleViolation violation) =>
        new(violation.Kind == ViolationKind.Authority ? 403 : 409,
            violation.Kind == ViolationKind.Authority ? "Forbidden" : "Rule violated", violation.Detail)
        {
            Data = { ["rule"] = violation.Rule },
        };
    public static ProblemException StaleVersion(long expected, long actual) =>
        new(412, "Stale version", $"If-Match expected version {expected} but the stream is at version {actual}.");
    public static ProblemException Invalid(string field, string message) =>
        new(400, "Invalid request", message, new Dictionary<string, string[]> { [field] = [message] });
    public static ProblemException TooManyAttempts(string detail, TimeSpan retryAfter) =>
        new(429, "Too many attempts", detail) { RetryAfter = retryAfter };

    /// <summary>When a refused request may be tried again (429), sent as <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public ProblemDetails ToProblemDetails(string? instance)
    {
        ProblemDetails problem = Errors is null
            ? new ProblemDetails()
            : new ValidationProblemDetails(Errors);
        problem.Status = Status;
        problem.Title = Title;
        problem.Detail = Message;
        problem.Instance = instance;
        if (Data["rule"] is string rule) problem.Extensions["rule"] = rule;
        return problem;
    }
}

public static class ProblemMapping
{
    /// <summary>Turns known failures into problem details; anything else is a real 500 and is logged as one.</summary>
    public static void UseProblemMapping(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = Classify,
            ExceptionHandler = context =>
                WriteAsync(context, context.Features.Get<IExceptionHandlerFeature>()?.Error),
        });
        app.UseStatusCodePages();
    }

    /// <summary>
    /// Every problem written (ours, the framework's, Wolverine's) gets the trace id; a body that did not
    /// parse also gets <c>errors</c> keyed by the JSON field, like any other invalid field.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        if (problem.Status == 400 && !problem.Extensions.ContainsKey("errors") && problem.Detail is { } detail
            && System.Text.RegularExpressions.Regex.Match(detail, @"Path: \$\.?([^ |]*)") is { Success: true } match)
        {
            var field = match.Groups[1].Value is { Length: > 0 } f ? f : "body";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [WhatIsWrong(field, detail)] };
            problem.Detail = $"The value of '{field}' could not be read. {detail}";
        }
    }

    /// <summary>What a field that did not read must be, as far as the serializer's message tells (see <see cref="SafeValues"/>).</summary>
    private static string WhatIsWrong(string field, string detail) =>
        detail.Contains("converted to System.String") ? $"'{field}' must be text, without NUL characters or unpaired surrogates"
        : detail.Contains("converted to System.Double") ? $"'{field}' must be a finite number"
        : detail.Contains("converted to NodaTime.Instant")
            ? $"'{field}' must be an ISO-8601 instant between {QueryValues.Earliest} and {QueryValues.Latest}, such as 2020-01-24T02:00:00Z or 2020-01-24T10:00:00+08:00"
        : $"'{field}' has a value of the wrong type or format";

    public static async Task WriteAsync(HttpContext context, Exception? error)
    {
        var problem = Describe(error).ToProblemDetails(context.Request.Path);
        // The framework's own error log is silenced (a refused command is not an error); real failures are logged here.
        if (problem.Status >= 500)
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EmergencyCommand.Errors")
                .LogError(error, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = problem.Status ?? 500;
        if (error is ProblemException { RetryAfter: { } retryAfter })
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = error });
    }

    private static int Classify(Exception error) => Describe(error).Status;

    private static ProblemException Describe(Exception? error) => error switch
    {
        ProblemException p => p,
        BadHttpRequestException b => new ProblemException(b.StatusCode, "Bad request", b.Message),
        System.Text.Json.JsonException j => Invalid(j),
        not null when Attempts.IsLostRace(error) =>
            new ProblemException(409, "Concurrent change", "The stream changed while this command ran; read it again and retry."),
        _ => new ProblemException(500, "Internal error", "The server failed; the error is logged with this request's trace id."),
    };

    private static ProblemException Invalid(System.Text.Json.JsonException j)
    {
        var field = string.IsNullOrEmpty(j.Path) ? "body" : j.Path.TrimStart('$', '.');
        return new ProblemException(400, "Invalid request", $"The value of '{field}' could not be read: {j.Message}",
            new Dictionary<string, string[]> { [field] = [j.Message] });
    }
}
