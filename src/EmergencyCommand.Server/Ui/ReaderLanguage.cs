using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Ui;

/// <summary>
/// The language a reader asked for: <c>?lang=zh|en</c> (a link the console hands the browser), else
/// <c>Accept-Language</c>. Sentences are told in Chinese for "zh…" (Simplified, for every Chinese tag; the console asks
/// in its user's language), in English otherwise, which is what the API has always answered. The answer says which it
/// is, and that it varies by the header, so no cache hands one reader's to another.
/// </summary>
public static class ReaderLanguage
{
    /// <summary>The words to tell facts in for this request; null for English.</summary>
    public static IWords? WordsFor(HttpContext http)
    {
        var asked = http.Request.Query["lang"].ToString();
        if (asked is not ("" or "zh" or "en")) throw Platform.ProblemException.Invalid("lang", "must be zh or en");
        var preferred = http.Request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .FirstOrDefault();
        var chinese = asked == "zh" || asked == "" && preferred?.Value.Value is { } tag && tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        http.Response.Headers.Append("Vary", "Accept-Language");
        http.Response.Headers.ContentLanguage = chinese ? "zh-CN" : "en";
        return chinese ? Chinese.Words : null;
    }

    /// <summary>The console's word list in Chinese, never switched: one for every request.</summary>
    private sealed class Chinese : IWords
    {
        public static readonly Chinese Words = new();
        private static readonly Texts List = new();

        public string Language => "zh";

        public string Of<TEnum>(TEnum value) where TEnum : struct, Enum => List.Of(value);
    }
}
