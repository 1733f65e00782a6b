using System.Linq.Expressions;
using NodaTime;

namespace EmergencyCommand.Server.Platform;

/// <summary>A reader's <c>?from=&amp;to=</c>: both ends optional and inclusive.</summary>
public sealed record TimeWindow(Instant? From, Instant? To)
{
    public static TimeWindow Parse(string? from, string? to) => new(QueryValues.Instant(from, "from"), QueryValues.Instant(to, "to"));

    /// <summary>Keeps what happened within the window, by an instant stored as a timestamp column.</summary>
    public IQueryable<T> Filter<T>(IQueryable<T> query, Expression<Func<T, DateTimeOffset>> at)
    {
        if (From is { } from)
            query = query.Where(Expression.Lambda<Func<T, bool>>(
                Expression.GreaterThanOrEqual(at.Body, Expression.Constant(from.ToDateTimeOffset())), at.Parameters));
        if (To is { } to)
            query = query.Where(Expression.Lambda<Func<T, bool>>(
                Expression.LessThanOrEqual(at.Body, Expression.Constant(to.ToDateTimeOffset())), at.Parameters));
        return query;
    }
}
