using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Platform;

/// <summary>201 Created with a Location header and <c>{id, version}</c>.</summary>
public sealed record Created(Guid Id, long Version, string Url) : CreationResponse(Url)
{
    public static Created At(string url, Written written) => new(written.Id, written.Version, url);
}

public static class QueryValues
{
    /// <summary>
    /// Parses <c>?asOf=</c>: an ISO-8601 instant, or nothing for "now". A moment still to come is now: history has
    /// nothing after it, and no read may be made to walk towards a future the caller picks.
    /// </summary>
    public static Instant? AsOf(string? value, IClock? clock = null)
    {
        var at = Instant(value, "asOf");
        var now = (clock ?? SystemClock.Instance).GetCurrentInstant();
        return at > now ? now : at;
    }

    /// <summary>The earliest and latest instant a query may name: nothing in this system happened outside them.</summary>
    public static readonly Instant Earliest = NodaTime.Instant.FromUtc(1900, 1, 1, 0, 0);
    public static readonly Instant Latest = NodaTime.Instant.FromUtc(2200, 1, 1, 0, 0);

    /// <summary>Whether an instant lies between <see cref="Earliest"/> and <see cref="Latest"/>, in a query or a body.</summary>
    public static bool Plausible(Instant at) => at >= Earliest && at <= Latest;

    public static Instant? Instant(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var at = LenientInstantConverter.TryParse(value.Trim())
            ?? throw ProblemException.Invalid(field, $"'{value}' is not an ISO-8601 UTC instant such as 2020-01-24T02:00:00Z.");
        return Plausible(at) ? at : throw ProblemException.Invalid(field, $"must lie between {Earliest} and {Latest}");
    }

    public static TEnum? Enum<TEnum>(string? value, string field) where TEnum : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        // One name: Enum.TryParse would combine "Open,Allocated" into another value.
        return !value.Contains(',') && System.Enum.TryParse<TEnum>(value, ignoreCase: false, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw ProblemException.Invalid(field, $"'{value}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
    }

    /// <summary><c>?jurisdiction=</c>: that code and everything under it; the nation when none is given.</summary>
    public static Scope Scope(string? value, string field = "jurisdiction") =>
        Jurisdiction(value, field) is { } code ? Platform.Scope.Of(code) : Platform.Scope.Nation;

    public static string? Jurisdiction(string? value, string field = "jurisdiction")
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return Domain.Shared.Jurisdictions.Problem(value) is { } problem ? throw ProblemException.Invalid(field, problem) : value;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or nothing.</summary>
    public static long? Whole(string? value, string field, long min, long max)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return long.TryParse(value, out var n) && n >= min && n <= max
            ? n
            : throw ProblemException.Invalid(field, $"must be a whole number from {min} to {max}");
    }
}
