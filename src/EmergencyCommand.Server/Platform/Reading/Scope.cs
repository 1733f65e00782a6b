using System.Linq.Expressions;
using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// The jurisdictions a read covers: every code under any of its roots (six-digit codes, so "covers" is a prefix test).
/// The one place lists, boards, reviews and the replay narrow what they show by jurisdiction.
/// </summary>
public sealed class Scope
{
    private Scope(IReadOnlyList<string> roots)
    {
        // A root under another root adds nothing.
        Roots = roots.Distinct().Where(r => !roots.Any(o => o != r && Jurisdictions.Covers(o, r))).Order(StringComparer.Ordinal).ToList();
        Prefixes = Roots.Select(Jurisdictions.CoveredPrefix).ToList();
    }

    public static readonly Scope Nation = new([Jurisdictions.Nation]);

    /// <summary>No jurisdiction at all: reads nothing.</summary>
    public static readonly Scope None = new([]);

    public static Scope Of(string jurisdiction) => new([jurisdiction]);

    public static Scope Of(IEnumerable<string> jurisdictions) => new(jurisdictions.ToList());

    /// <summary>The codes at the top of the scope.</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>What every covered code starts with; "" covers everything.</summary>
    public IReadOnlyList<string> Prefixes { get; }

    public bool IsEverything => Prefixes.Contains("");

    public bool IsNothing => Prefixes.Count == 0;

    /// <summary>One code when the scope has one root (what a board is titled with), else the nation.</summary>
    public string Title => Roots.Count == 1 ? Roots[0] : Jurisdictions.Nation;

    public bool Covers(string? code) => code is not null && Prefixes.Any(p => code.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Keeps the documents whose jurisdiction this scope covers (a <c>LIKE 'prefix%'</c> per root in SQL).</summary>
    public IQueryable<T> Filter<T>(IQueryable<T> query, Expression<Func<T, string?>> jurisdiction)
    {
        if (IsEverything) return query;
        if (IsNothing) return query.Where(_ => false);
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
        var body = Prefixes
            .Select(p => (Expression)Expression.AndAlso(
                Expression.NotEqual(jurisdiction.Body, Expression.Constant(null, typeof(string))),
                Expression.Call(jurisdiction.Body, startsWith, Expression.Constant(p))))
            .Aggregate(Expression.OrElse);
        return query.Where(Expression.Lambda<Func<T, bool>>(body, jurisdiction.Parameters));
    }

    /// <summary>What both scopes cover: each root of one that lies under a root of the other.</summary>
    public Scope Intersect(Scope other) =>
        new(Roots.Where(other.Covers).Concat(other.Roots.Where(Covers)).ToList());

    /// <summary>SQL <c>LIKE</c> patterns for the roots, for the few reads that are SQL.</summary>
    public string[] LikePatterns => Prefixes.Select(p => p + "%").ToArray();

    public override string ToString() => string.Join(", ", Roots);
}
