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
    public IQueryable<T> Filter<T>(IQueryable<T> query, Expression<Func<T, string?>> jurisdiction) => Keep(query, jurisdiction, []);

    /// <summary>
    /// The codes above the roots: what is run from there runs over the scope's area too (a national green channel
    /// crosses every province on its way).
    /// </summary>
    public IReadOnlyList<string> Above => _above ??= Roots.SelectMany(Jurisdictions.Above).Distinct().Where(a => !Covers(a)).Order(StringComparer.Ordinal).ToList();

    // Worked out when first asked (green channels and checkpoints): every request builds its reader's scope.
    private IReadOnlyList<string>? _above;

    /// <summary>Whether something run from <paramref name="code"/> concerns this scope: it lies within it, or above it.</summary>
    public bool Concerns(string? code) => Covers(code) || (code is not null && Above.Contains(code));

    /// <summary>Keeps the documents run from within the scope or from above it (<see cref="Concerns"/>, in SQL).</summary>
    public IQueryable<T> FilterConcerning<T>(IQueryable<T> query, Expression<Func<T, string?>> jurisdiction) => Keep(query, jurisdiction, Above);

    private IQueryable<T> Keep<T>(IQueryable<T> query, Expression<Func<T, string?>> jurisdiction, IReadOnlyList<string> alsoExactly)
    {
        if (IsEverything) return query;
        if (IsNothing) return query.Where(_ => false);
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
        var body = Prefixes
            .Select(p => (Expression)Expression.AndAlso(
                Expression.NotEqual(jurisdiction.Body, Expression.Constant(null, typeof(string))),
                Expression.Call(jurisdiction.Body, startsWith, Expression.Constant(p))))
            .Concat(alsoExactly.Select(code => Expression.Equal(jurisdiction.Body, Expression.Constant(code, typeof(string)))))
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
