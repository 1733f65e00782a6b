using System.Security.Cryptography;
using System.Text;
using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;

namespace EmergencyCommand.Server.Audit;

public sealed class AuditOptions
{
    /// <summary>Signs exported chain anchors. Kept in configuration, never in the database it vouches for.</summary>
    public string AnchorKey { get; set; } = "";

    /// <summary>Keep the chain (on by default); off exists only to measure what it costs.</summary>
    public bool Chain { get; set; } = true;
}

public sealed record Verification(bool Valid, long EventsChecked, long? FirstBrokenSequence, long ChainedThrough, string? Problem);

/// <summary>The chain head, signed: keep it outside the system to prove later that the log shown is the same one.</summary>
public sealed record Anchor(long Sequence, string Hash, Instant SignedAt, string Algorithm, string Signature);

public sealed record AnchorToCheck(long? Sequence, string? Hash, Instant? SignedAt, string? Signature)
{
    public FieldErrors Errors() => new FieldErrors().Positive("sequence", Sequence).Require("hash", Hash, 64).Require("signedAt", SignedAt)
        .Require("signature", Signature, 64);
}

public sealed record AnchorCheck(bool SignatureValid, bool MatchesLog, string? Problem);

/// <summary>
/// What reviewers check the log against: the chain recomputed from the rows, anchors signed and checked, and the log
/// itself in commit order. The routes and the offline command line (<c>ops/ec</c>) both use it.
/// </summary>
public sealed class AuditEvidence(NpgsqlDataSource db, IDocumentStore store, IOptions<AuditOptions> options, IClock clock, Modules modules)
{
    /// <summary>
    /// Recomputes the chain from the raw rows and compares it with the stored links. An edited, deleted, inserted
    /// or reordered event breaks it at the first affected sequence; restoring the row mends it.
    /// </summary>
    public async Task<Verification> Verify(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var links = await session.Query<AuditLink>().OrderBy(l => l.Id).ToListAsync(ct);
        if (links.Count == 0) return new Verification(true, 0, null, 0, null);
        var head = links[^1].Id;
        var next = 0;
        var previous = AuditChain.Genesis;
        long checkedCount = 0;
        await foreach (var row in EventLog.Rows(db, 0, head, ct))
        {
            if (next < links.Count && links[next].Id < row.Sequence)
                return Broken(links[next].Id, checkedCount, head, "a chained event is missing from the log");
            if (next >= links.Count || links[next].Id != row.Sequence)
                return Broken(row.Sequence, checkedCount, head, "an event in the log was never chained");
            var hash = AuditChain.Next(previous, row);
            if (!string.Equals(Convert.ToHexString(hash), links[next].Hash, StringComparison.Ordinal))
                return Broken(row.Sequence, checkedCount, head, "the event differs from what was chained (data, metadata or order)");
            previous = hash;
            next++;
            checkedCount++;
        }
        return next < links.Count
            ? Broken(links[next].Id, checkedCount, head, "a chained event is missing from the log")
            : new Verification(true, checkedCount, null, head, null);
    }

    private static Verification Broken(long sequence, long checkedCount, long head, string problem) => new(false, checkedCount, sequence, head, problem);

    public async Task<Anchor> Anchor(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var head = await session.Query<AuditLink>().OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct)
                   ?? throw new ProblemException(409, "Nothing to anchor", "No event has been chained yet.");
        var at = clock.GetCurrentInstant();
        return new Anchor(head.Id, head.Hash, at, "HMAC-SHA256", Sign(head.Id, head.Hash, at));
    }

    /// <summary>
    /// Checks an anchor kept outside the system: its signature is this server's, and the log as it is now still
    /// hashes to the anchored value at that sequence — recomputed from the rows, so rewriting every link is no cover.
    /// The anchor is already validated (<see cref="AnchorToCheck.Errors"/>).
    /// </summary>
    public async Task<AnchorCheck> Check(AnchorToCheck anchor, CancellationToken ct)
    {
        var expected = Sign(anchor.Sequence!.Value, anchor.Hash!, anchor.SignedAt!.Value);
        var signatureValid = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(anchor.Signature!.ToUpperInvariant()));
        var previous = AuditChain.Genesis;
        long last = 0;
        await foreach (var row in EventLog.Rows(db, 0, anchor.Sequence.Value, ct))
        {
            previous = AuditChain.Next(previous, row);
            last = row.Sequence;
        }
        var matches = last == anchor.Sequence && string.Equals(Convert.ToHexString(previous), anchor.Hash, StringComparison.OrdinalIgnoreCase);
        return new AnchorCheck(signatureValid, matches,
            !signatureValid ? "The signature is not this server's." : matches ? null : "The log no longer hashes to the anchored value.");
    }

    private string Sign(long sequence, string hash, Instant at)
    {
        var key = options.Value.AnchorKey;
        if (Encoding.UTF8.GetByteCount(key) < 32)
            throw new ProblemException(503, "Anchors unavailable", "Audit:AnchorKey is not configured (at least 32 bytes).");
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{sequence}:{hash.ToUpperInvariant()}:{at}")));
    }

    /// <summary>The event log in commit order, a page at a time, within a scope; secrets masked.</summary>
    public async Task<IReadOnlyList<ReplayEntry>> Replay(long fromSequence, int limit, Scope scope, CancellationToken ct) =>
        (await EventLog.Page(db, fromSequence, limit, scope, ct)).Select(e => e with { Data = modules.WithoutSecrets(e.Type, e.Data) }).ToList();

    /// <summary>Masked rows keep their text as readable as PostgreSQL gives it (no \u escapes for 粤 or •).</summary>
    private static readonly System.Text.Json.JsonSerializerOptions AsStored =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Every row as stored, in commit order, but for the secrets registered by the modules (pass codes in older events),
    /// which are masked: those rows no longer hash to their chain links, and <c>verify</c> (which reads the rows) is the check.
    /// </summary>
    public async IAsyncEnumerable<RawEvent> Export([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in EventLog.Rows(db, 0, null, ct))
        {
            var type = Modules.TypeName(row.DotnetType, row.Type);
            if (!modules.HasSecrets(type))
            {
                yield return row;
                continue;
            }
            var data = System.Text.Json.Nodes.JsonNode.Parse(row.Data);
            var masked = modules.WithoutSecrets(type, data);
            yield return ReferenceEquals(masked, data) ? row : row with { Data = masked!.ToJsonString(AsStored) };
        }
    }
}
