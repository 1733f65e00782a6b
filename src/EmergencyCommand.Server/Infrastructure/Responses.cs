using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Infrastructure;

/// <summary>201 Created with a Location header and <c>{id, version}</c>.</summary>
public sealed record Created(Guid Id, long Version, string Url) : CreationResponse(Url)
{
    public static Created At(string url, Written written) => new(written.Id, written.Version, url);
}

public static class QueryValues
{
    /// <summary>Parses <c>?asOf=</c>: an ISO-8601 UTC instant, or nothing for "now".</summary>
    public static Instant? AsOf(string? value) => Instant(value, "asOf");

    public static Instant? Instant(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return LenientInstantConverter.TryParse(value.Trim())
            ?? throw ProblemException.Invalid(field, $"'{value}' is not an ISO-8601 UTC instant such as 2020-01-24T02:00:00Z.");
    }

    public static TEnum? Enum<TEnum>(string? value, string field) where TEnum : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return System.Enum.TryParse<TEnum>(value, ignoreCase: false, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw ProblemException.Invalid(field, $"'{value}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
    }

    public static string? Jurisdiction(string? value, string field = "jurisdiction")
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return Domain.Shared.Jurisdictions.Problem(value) is { } problem ? throw ProblemException.Invalid(field, problem) : value;
    }
}
