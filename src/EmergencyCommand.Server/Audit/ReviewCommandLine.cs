using System.Text.Json;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// <c>EmergencyCommand.Server review …</c> (wrapped by <c>ops/ec</c>): reviewers' offline tools over any copy of the
/// database. The host is built for its configuration and store but never started: nothing listens, nothing is written,
/// and no secret of the server's is read (an anchor is checked with the public key given).
/// </summary>
public static class ReviewCommandLine
{
    public const string Usage = """
        usage: ops/ec <command> [options]      (ConnectionStrings__Marten or --connection picks the database)
          verify                               check the tamper-evidence chain over the whole log
          verify --anchor FILE --public-key PEM   also an anchor kept outside (JSON from GET /api/audit/anchor, or a
                                               witness file: its last line): its signature under the public key (GET
                                               /api/audit/public-key, kept apart) and that the log still hashes to it
          replay [--from SEQ] [--to SEQ] [--jurisdiction CODE]   events in commit order, one JSON object a line
          report --incident ID [--format markdown|csv|json]       the post-incident review of one incident
          export                               every event as stored (pass codes of older events masked), one JSON object a line
        """;

    public static async Task<int> Run(IServiceProvider services, string[] args, TextWriter output, TextWriter? errors = null)
    {
        var ct = CancellationToken.None;
        errors ??= Console.Error;
        var evidence = services.GetRequiredService<AuditEvidence>();
        var reviews = services.GetRequiredService<ReviewReporter>();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        Json.Configure(json);
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

        switch (args.FirstOrDefault())
        {
            case "verify" when Option("--anchor") is { } file:
            {
                if (Option("--public-key") is not { } keyFile)
                    return await Refuse("--anchor needs --public-key FILE: the anchor key's public half (GET /api/audit/public-key), kept apart from the server");
                System.Security.Cryptography.ECDsa publicKey;
                try
                {
                    publicKey = AnchorSigner.PublicKeyFrom(await File.ReadAllTextAsync(keyFile));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    return await Refuse($"--public-key: {keyFile} cannot be read as an ECDSA P-256 public key in PEM ({e.Message})");
                }
                using var _ = publicKey;
                AnchorToCheck? anchor;
                try
                {
                    // A witness file holds one anchor a line: the newest is the last.
                    var text = (await File.ReadAllTextAsync(file)).Trim();
                    anchor = JsonSerializer.Deserialize<AnchorToCheck>(text.Contains('\n') ? text[(text.LastIndexOf('\n') + 1)..] : text, json);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
                {
                    return await Refuse($"--anchor: {file} cannot be read as an anchor ({e.Message})");
                }
                if (anchor is null || !anchor.Errors().IsEmpty)
                    return await Refuse($"--anchor: {file} is not an anchor from GET /api/audit/anchor");
                var check = await evidence.Check(anchor, publicKey, ct);
                var offline = new OfflineCheck(check.SignatureValid, check.MatchesLog, check.Problem, await evidence.Verify(ct));
                await output.WriteLineAsync(JsonSerializer.Serialize(offline, json));
                return offline.Valid ? 0 : 3;
            }
            case "verify":
            {
                var result = await evidence.Verify(ct);
                await output.WriteLineAsync(JsonSerializer.Serialize(result, json));
                return result.Valid ? 0 : 3;
            }
            case "replay":
            {
                if (Sequence("--from", 0) is not { } from || Sequence("--to", long.MaxValue) is not { } to) return await Refuse("--from and --to take event sequence numbers (0 or more)");
                var jurisdiction = Option("--jurisdiction");
                if (jurisdiction is not null && !System.Text.RegularExpressions.Regex.IsMatch(jurisdiction, "^[0-9]{6}$"))
                    return await Refuse($"--jurisdiction takes a six-digit division code such as 420100, not '{jurisdiction}'");
                var scope = jurisdiction is null ? Scope.Nation : Scope.Of(jurisdiction);
                while (true)
                {
                    var page = await evidence.Replay(from, 1000, scope, withAccounts: true, ct);
                    foreach (var entry in page.TakeWhile(e => e.Sequence <= to)) await output.WriteLineAsync(JsonSerializer.Serialize(entry, json));
                    if (page.Count < 1000 || page[^1].Sequence >= to) return 0;
                    from = page[^1].Sequence + 1;
                }
            }
            case "report" when !Guid.TryParse(Option("--incident"), out _):
                return await Refuse("report needs --incident with the incident's id (a GUID)");
            case "report" when Option("--format") is { } format && format is not ("markdown" or "csv" or "json"):
                return await Refuse($"--format is markdown, csv or json, not '{format}'");
            case "report":
            {
                var incident = Guid.Parse(Option("--incident")!);
                if (await reviews.Incident(incident, ct) is not { } report)
                {
                    await errors.WriteLineAsync($"no incident {incident}");
                    return 2;
                }
                await output.WriteAsync(Option("--format") switch
                {
                    "csv" => ReviewQueries.Csv(report),
                    "json" => JsonSerializer.Serialize(report, json),
                    _ => ReviewQueries.Markdown(report),
                });
                return 0;
            }
            case "export":
                await foreach (var row in evidence.Export(ct))
                    await output.WriteLineAsync(JsonSerializer.Serialize(row, json));
                return 0;
            default:
                return await Refuse(args.Length == 0 ? "a command is needed" : $"unknown command '{args[0]}'");
        }

        long? Sequence(string name, long fallback) =>
            Option(name) is not { } given ? fallback : long.TryParse(given, out var value) && value >= 0 ? value : null;

        async Task<int> Refuse(string why)
        {
            await errors.WriteLineAsync($"ops/ec: {why}\n{Usage}");
            return 1;
        }
    }
}
