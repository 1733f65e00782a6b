using EmergencyCommand.Domain.Shared;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Collects what is wrong with a request, field by field, for a 400 that names each field.
/// Endpoints use it in their <c>Validate</c> step.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public static ProblemDetails MissingBody() => Build(new() { ["body"] = ["A JSON body is required."] });

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public FieldErrors Require(string field, string? value, int maxLength = 2000)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required");
        else if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters");
        return this;
    }

    public FieldErrors Optional(string field, string? value, int maxLength = 2000)
    {
        if (value is { Length: var n } && n > maxLength) Add(field, $"must be at most {maxLength} characters");
        return this;
    }

    public FieldErrors Require<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "is required");
        return this;
    }

    public FieldErrors Jurisdiction(string field, string? code)
    {
        if (Jurisdictions.Problem(code) is { } problem) Add(field, problem);
        return this;
    }

    public FieldErrors NotNegative(string field, int? value, int max = 1_000_000_000)
    {
        if (value is null) Add(field, "is required");
        else if (value < 0) Add(field, "must not be negative");
        else if (value > max) Add(field, $"must be at most {max}");
        return this;
    }

    /// <summary>A quantity of goods: a whole number from 1 to <see cref="Quantities.MaxPerLine"/>.</summary>
    public FieldErrors Quantity(string field, long? value)
    {
        if (value is null) Add(field, "is required");
        else if (value <= 0 || value > Quantities.MaxPerLine) Add(field, $"must be a whole number from 1 to {Quantities.MaxPerLine}");
        return this;
    }

    public FieldErrors Positive(string field, long? value)
    {
        if (value is null) Add(field, "is required");
        else if (value <= 0) Add(field, "must be a whole number above zero");
        return this;
    }

    /// <summary>Lets a rule kept elsewhere add what it finds, in the same chain.</summary>
    public FieldErrors With(Func<FieldErrors, FieldErrors> rule) => rule(this);

    public FieldErrors When(bool broken, string field, string message) => broken ? Add(field, message) : this;

    /// <summary>Adds what a rule found wrong with the field, if anything (rules that answer "null when fine, else why not").</summary>
    public FieldErrors Problem(string field, string? problem) => problem is null ? this : Add(field, problem);

    public FieldErrors NotAfter(string field, Instant? value, Instant limit)
    {
        if (value is null) Add(field, "is required");
        else if (value > limit) Add(field, "must not be in the future");
        return this;
    }

    public bool IsEmpty => _errors.Count == 0;

    /// <summary><see cref="WolverineContinue.NoProblems"/> when valid, otherwise a 400 naming every bad field.</summary>
    public ProblemDetails ToProblem() => _errors.Count == 0
        ? WolverineContinue.NoProblems
        : Build(_errors.ToDictionary(e => e.Key, e => e.Value));

    private static ProblemDetails Build(Dictionary<string, List<string>> errors) =>
        new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        {
            Status = 400,
            Title = "Invalid request",
            Detail = "Invalid: " + string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")),
        };
}
