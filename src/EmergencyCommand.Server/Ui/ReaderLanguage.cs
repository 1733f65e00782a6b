using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Ui;

/// <summary>
/// The language a reader asked for with <c>Accept-Language</c>: sentences told in Chinese for "zh…" (the console asks
/// in its user's language), in English otherwise, which is what the API has always answered.
/// </summary>
public static class ReaderLanguage
{
    private static readonly Texts Chinese = new();

    /// <summary>The words to tell facts in for this request; null for English.</summary>
    public static IWords? WordsFor(HttpContext http)
    {
        var preferred = http.Request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .FirstOrDefault();
        return preferred?.Value.Value is { } tag && tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : null;
    }
}
