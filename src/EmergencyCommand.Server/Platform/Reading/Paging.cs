using System.Globalization;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// A reader's <c>?offset=&amp;limit=</c> over a list, and the total that match in <c>X-Total-Count</c>: the one way lists
/// page, so that a client always knows when there is more than one page.
/// </summary>
public sealed record Paging(int Skip, int Take)
{
    /// <param name="most">The largest page, and the page when no limit is given.</param>
    public static Paging Parse(string? offset, string? limit, int most, long furthest = 1_000_000) =>
        new((int)(QueryValues.Whole(offset, "offset", 0, furthest) ?? 0), (int)(QueryValues.Whole(limit, "limit", 1, most) ?? most));

    public IQueryable<T> Of<T>(IQueryable<T> ordered) => ordered.Skip(Skip).Take(Take);

    public IEnumerable<T> Of<T>(IEnumerable<T> ordered) => ordered.Skip(Skip).Take(Take);

    public static void Total(HttpResponse response, long count) =>
        response.Headers["X-Total-Count"] = count.ToString(CultureInfo.InvariantCulture);
}
