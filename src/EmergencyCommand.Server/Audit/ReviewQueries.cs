using System.Globalization;
using System.Text;
using EmergencyCommand.Domain.Review;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten;
using NodaTime;
using NodaTime.Text;
using Wolverine.Http;

namespace EmergencyCommand.Server.Audit;

/// <summary>Builds review reports from the log: the routes and the offline command line (<c>ops/ec report</c>) both use it.</summary>
public sealed class ReviewReporter(IDocumentStore store, Modules modules, Microsoft.Extensions.Options.IOptions<AuditOptions> options)
{
    /// <summary>One incident's whole stream, with the intervals of its loop; null when there is no such incident.</summary>
    public async Task<ReviewReport?> Incident(Guid id, CancellationToken ct, Reader? reader = null, IWords? words = null)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0 || reader is not null && !reader.Sees(Domain.Incidents.Incident.Replay(events.Select(e => e.Data))?.Jurisdiction)) return null;
        var zh = Narrative.InChinese(words);
        var title = events[0].Data switch
        {
            Domain.Incidents.IncidentReported r => zh ? $"事件复盘：{r.Title}（{Narrative.PlaceZh(r.Jurisdiction)}）" : $"Incident review: {r.Title} ({r.Jurisdiction})",
            _ => zh ? $"事件复盘 {id}" : $"Incident review {id}",
        };
        return ReviewReports.Build(title, events.Select(Recorded).ToList(), modules.Narrative, words: words);
    }

    /// <summary>
    /// Everything decided and done in a jurisdiction (and below it) over a time range: the events whose command acted
    /// there, selected in the database. A window holding more than <see cref="AuditOptions.ReviewMaxEvents"/> of them is
    /// refused (a 400 naming the range), so a report is never silently cut short.
    /// </summary>
    public async Task<ReviewReport> Jurisdiction(string code, TimeWindow window, bool withAccounts, CancellationToken ct, IWords? words = null)
    {
        await using var session = store.QuerySession();
        var limit = Math.Max(1, options.Value.ReviewMaxEvents);
        var events = await EventLog.Within(session, window, Scope.Of(code), limit + 1, withAccounts ? [] : Identity.AccountFacts.StoredNames(store), ct);
        if (events.Count > limit)
            throw ProblemException.Invalid(window.To is null ? "from" : "to",
                $"more than {limit:N0} events were recorded in {code} within this range: narrow it (from, to) and review it in parts");
        var within = events.Select(Recorded).ToList();
        var name = DivisionNames.ChineseName(code);
        var title = Narrative.InChinese(words) ? $"辖区复盘：{Narrative.PlaceZh(code)}" : $"Jurisdiction review: {code}{(name is null ? "" : $" {name}")}";
        return ReviewReports.Build(title, within, modules.Narrative, window.From, window.To, words);
    }

    private static RecordedEvent Recorded(IEvent e) => new(e.Sequence, Instant.FromDateTimeOffset(e.Timestamp), e.UserName, e.StreamId, e.Data);
}

/// <summary>Post-incident review reports, as JSON, Markdown or CSV (<c>?format=</c> or the Accept header).</summary>
public static class ReviewQueries
{
    [WolverineGet("/api/reviews/incidents/{id:guid}", OperationId = "ReviewIncident")]
    public static async Task<IResult> Incident(Guid id, string? format, HttpContext http, Reader reader, ReviewReporter reviews, CancellationToken ct)
    {
        var words = Ui.ReaderLanguage.WordsFor(http);
        return Render(await reviews.Incident(id, ct, reader, words) ?? throw ProblemException.NotFound($"Incident {id}"), format, http, words);
    }

    /// <summary>Everything decided and done in a jurisdiction (and below it) over a time range.</summary>
    [WolverineGet("/api/reviews/jurisdictions/{code}", OperationId = "ReviewJurisdiction")]
    public static async Task<IResult> Jurisdiction(string code, string? from, string? to, string? format, HttpContext http, Reader reader,
        ReviewReporter reviews, CancellationToken ct)
    {
        QueryValues.Jurisdiction(code, "code");
        reader.Demand(Reader.Auditors);
        if (!reader.Sees(code)) throw ProblemException.NotFound($"Jurisdiction {code} (outside what {reader.Actor.UserName} may review)");
        var words = Ui.ReaderLanguage.WordsFor(http);
        return Render(await reviews.Jurisdiction(code, TimeWindow.Parse(from, to), reader.SeesAccounts, ct, words), format, http, words);
    }

    private static IResult Render(ReviewReport report, string? format, HttpContext http, IWords? words)
    {
        var wanted = (format ?? "").ToLowerInvariant();
        var accept = http.Request.Headers.Accept.ToString();
        if (wanted is "markdown" or "md" || wanted == "" && accept.Contains("text/markdown"))
            return Results.Text(Markdown(report, words), "text/markdown; charset=utf-8");
        if (wanted == "csv" || wanted == "" && accept.Contains("text/csv"))
            return Results.Text(Csv(report), "text/csv; charset=utf-8");
        if (wanted is not ("" or "json"))
            throw ProblemException.Invalid("format", "must be json, markdown or csv");
        return Results.Json(report, http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
    }

    private static string Time(Instant at) => InstantPattern.ExtendedIso.Format(at);

    private static string Length(Duration? d) => d is { } x ? x.ToString("-D'd 'hh':'mm':'ss'.'fff", CultureInfo.InvariantCulture) : "open";

    /// <summary>A document for people: in Chinese (headings, spans, Beijing times) for a reader with Chinese words.</summary>
    public static string Markdown(ReviewReport report, IWords? words = null)
    {
        var zh = Narrative.InChinese(words);
        string At(Instant at) => zh ? CommandTime.Said(at) : Time(at);
        string Long(Duration? d) => d is null && zh ? "未结束" : Length(d);
        var md = new StringBuilder();
        md.AppendLine($"# {report.Title}").AppendLine();
        if (report.From is not null || report.To is not null)
        {
            var (range, start, now) = zh ? ("范围：", "最早", "现在") : ("Range: ", "start", "now");
            md.AppendLine($"{range}{(report.From is { } f ? At(f) : start)} – {(report.To is { } t ? At(t) : now)}").AppendLine();
        }
        md.AppendLine(zh ? "## 时段" : "## Intervals").AppendLine()
            .AppendLine(zh ? "| 时段 | 对象 | 起 | 止 | 历时 |" : "| kind | subject | from | to | length |").AppendLine("|---|---|---|---|---|");
        foreach (var i in report.Intervals)
            md.AppendLine($"| {Cell(zh ? ReviewReports.KindZh(i.Kind) : i.Kind)} | {Cell(i.Subject)} | {At(i.From)} | {(i.To is { } to ? At(to) : "")} | {Long(i.Length)} |");
        md.AppendLine().AppendLine(zh ? "## 全过程记录" : "## Timeline").AppendLine()
            .AppendLine(zh ? "| 序号 | 时间 | 类型 | 操作人 | 经过 | 理由 |" : "| sequence | at | type | actor | what | why |").AppendLine("|---|---|---|---|---|---|");
        foreach (var e in report.Timeline)
            md.AppendLine($"| {e.Sequence} | {At(e.At)} | {e.Type} | {Cell(e.Actor)} | {Cell(e.Summary)} | {Cell(e.Rationale)} |");
        return md.ToString();
    }


    public static string Csv(ReviewReport report)
    {
        var csv = new StringBuilder("section,sequence,at,type,actor,summary,rationale,kind,subject,from,to,length_seconds\n");
        foreach (var e in report.Timeline)
            csv.AppendLine(string.Join(',', "timeline", e.Sequence.ToString(CultureInfo.InvariantCulture), Time(e.At), e.Type, Quote(e.Actor), Quote(e.Summary), Quote(e.Rationale), "", "", "", "", ""));
        foreach (var i in report.Intervals)
            csv.AppendLine(string.Join(',', "interval", "", "", "", "", "", "", Quote(i.Kind), Quote(i.Subject), Time(i.From), i.To is { } to ? Time(to) : "",
                i.Length is { } l ? ((long)l.TotalSeconds).ToString(CultureInfo.InvariantCulture) : ""));
        return csv.ToString();
    }

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|").Replace("\n", " ");

    /// <summary>
    /// A quoted CSV cell. Text a reporter typed that starts like a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
    /// return) gets a leading apostrophe, so a spreadsheet shows it rather than runs it.
    /// </summary>
    private static string Quote(string? text) => text is null
        ? ""
        : $"\"{(text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text).Replace("\"", "\"\"")}\"";
}
