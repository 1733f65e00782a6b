using System.Text.Json;
using EmergencyCommand.Domain.Review;
using Marten;
using NodaTime;
using Npgsql;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// <c>EmergencyCommand.Server review …</c> (wrapped by <c>ops/ec</c>): reviewers' offline tools over any copy of the
/// database. The host is built for its configuration and store but never started: nothing listens, nothing is written.
/// </summary>
public static class ReviewCommandLine
{
    public const string Usage = """
        usage: ops/ec <command> [options]      (ConnectionStrings__Marten or --connection picks the database)
          verify                               check the tamper-evidence chain over the whole log
          replay [--from SEQ] [--to SEQ] [--jurisdiction CODE]   events in commit order, one JSON object a line
          report --incident ID [--format markdown|csv|json]       the post-incident review of one incident
          export                               every event exactly as stored, one JSON object a line
        """;

    public static async Task<int> Run(WebApplication app, string[] args, TextWriter output)
    {
        var ct = CancellationToken.None;
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        Json.Configure(json);
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

        switch (args.FirstOrDefault())
        {
            case "verify":
            {
                await using var session = store.QuerySession();
                var result = await AuditQueries.Verify(db, session, ct);
                await output.WriteLineAsync(JsonSerializer.Serialize(result, json));
                return result.Valid ? 0 : 3;
            }
            case "replay":
            {
                var from = long.Parse(Option("--from") ?? "0");
                var to = long.Parse(Option("--to") ?? long.MaxValue.ToString());
                var jurisdiction = Option("--jurisdiction");
                while (true)
                {
                    var page = await AuditQueries.Replay(from.ToString(), "1000", jurisdiction, db, ct);
                    foreach (var entry in page.TakeWhile(e => e.Sequence <= to)) await output.WriteLineAsync(JsonSerializer.Serialize(entry, json));
                    if (page.Count < 1000 || page[^1].Sequence >= to) return 0;
                    from = page[^1].Sequence + 1;
                }
            }
            case "report" when Guid.TryParse(Option("--incident"), out var incident):
            {
                await using var session = store.QuerySession();
                var events = await session.Events.FetchStreamAsync(incident, token: ct);
                if (events.Count == 0)
                {
                    await Console.Error.WriteLineAsync($"no incident {incident}");
                    return 2;
                }
                var report = ReviewReports.Build($"Incident review {incident}",
                    events.Select(e => new RecordedEvent(e.Sequence, Instant.FromDateTimeOffset(e.Timestamp), e.UserName, e.StreamId, e.Data)).ToList());
                await output.WriteAsync(Option("--format") switch
                {
                    "csv" => ReviewQueries.Csv(report),
                    "json" => JsonSerializer.Serialize(report, json),
                    _ => ReviewQueries.Markdown(report),
                });
                return 0;
            }
            case "export":
                await foreach (var row in AuditChain.ReadAll(db, 0, null, ct))
                    await output.WriteLineAsync(JsonSerializer.Serialize(row, json));
                return 0;
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 1;
        }
    }
}
