using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;

namespace EmergencyCommand.Server.Audit;

public sealed class AuditOptions
{
    /// <summary>Keep the chain (on by default); off exists only to measure what it costs, on a database without links.</summary>
    public bool Chain { get; set; } = true;

    /// <summary>A PEM file with the ECDSA P-256 private key that signs anchors (configuration or a file, never the database).</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The same key as PEM text, e.g. from an environment variable (Audit__SigningKeyPem).</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>
    /// PEM files, each with the public half of a key that signed anchors before a rotation: the server checks an anchor
    /// with the key its <c>keyId</c> names, the current one or one of these.
    /// </summary>
    public List<string> PreviousPublicKeyFiles { get; set; } = [];

    /// <summary>Development and Demo: where a key is generated once when none is given (default: .data under the content root).</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>How often the witness writes an anchor (when the chain's head has moved).</summary>
    public double AnchorEveryMinutes { get; set; } = 5;

    /// <summary>A directory outside the database where the witness appends anchors, one JSON line each, a file per day.</summary>
    public string? WitnessDirectory { get; set; }

    /// <summary>An HTTP endpoint outside the system the witness POSTs each anchor to (failures are logged).</summary>
    public string? WitnessUrl { get; set; }

    /// <summary>Anchors a user may have signed on demand per minute.</summary>
    public int AnchorsPerMinute { get; set; } = 5;

    /// <summary>How long an event may wait beyond the chain's progress before verification calls it unchained.</summary>
    public int ChainGraceSeconds { get; set; } = 60;

    /// <summary>The most events a jurisdiction review builds its report from; a window holding more is refused, never cut.</summary>
    public int ReviewMaxEvents { get; set; } = 100_000;
}

/// <param name="ChainedThrough">The last link checked.</param>
/// <param name="UnchainedEvents">Events past the chain's progress, younger than the grace: the daemon has not reached them yet.</param>
public sealed record Verification(bool Valid, long EventsChecked, long? FirstBrokenSequence, long ChainedThrough, string? Problem, long UnchainedEvents = 0);

/// <summary>
/// The chain head, signed with the server's anchor key (ECDSA P-256): keep it outside the system to prove later, to anyone
/// holding the public key, that the log up to <paramref name="Sequence"/> is the same one. <paramref name="SignedText"/> is
/// exactly what the signature (DER, hex) covers.
/// </summary>
public sealed record Anchor(long Sequence, string Hash, Instant SignedAt, string Algorithm, string Signature, string KeyId, string SignedText);

public sealed record AnchorToCheck(long? Sequence, string? Hash, Instant? SignedAt, string? Signature, string? Algorithm = null, string? KeyId = null)
{
    public FieldErrors Errors() => new FieldErrors().Positive("sequence", Sequence).Require("hash", Hash, 64).Require("signedAt", SignedAt)
        .Require("signature", Signature, 400).Optional("algorithm", Algorithm, 100).Optional("keyId", KeyId, 100);
}

public sealed record AnchorCheck(bool SignatureValid, bool MatchesLog, string? Problem);

/// <summary>An anchor checked offline with a public key, and the whole chain verified as well.</summary>
public sealed record OfflineCheck(bool SignatureValid, bool MatchesLog, string? Problem, Verification Chain)
{
    public bool Valid => SignatureValid && MatchesLog && Chain.Valid;
}

/// <summary>
/// What reviewers check the log against: the chain recomputed from the rows, anchors signed and checked, and the log
/// itself in commit order. The routes and the offline command line (<c>ops/ec</c>) both use it.
/// </summary>
public sealed class AuditEvidence(NpgsqlDataSource db, IDocumentStore store, IOptions<AuditOptions> options, IClock clock, AnchorSigner signer,
    Modules modules)
{
    /// <summary>
    /// Recomputes the chain from the raw rows and compares it with the stored links. An edited, deleted, inserted or
    /// reordered event, or an edited stream row, breaks it at the first affected sequence; restoring the row mends it.
    /// Every event at or below the chain projection's progress must be chained: the daemon moves links and progress in
    /// one transaction, so deleted newest links show. Events past the progress are the daemon's backlog, allowed for
    /// <see cref="AuditOptions.ChainGraceSeconds"/> after their commit, and then a break.
    /// </summary>
    public async Task<Verification> Verify(CancellationToken ct)
    {
        if (!options.Value.Chain)
            return new Verification(false, 0, null, 0, "Not chained: Audit:Chain is off, so nothing vouches for the log.");
        // Progress first: links committed after it are newer still and not needed for the events at or below it.
        var progress = await EventLog.Progress(store, AuditChainProjection.Name, ct);
        await using var session = store.QuerySession();
        var links = await StoredChain.Through(session, progress, ct);
        var head = links.Count == 0 ? 0 : links[^1].Sequence;
        var next = 0;
        var previous = AuditChain.Genesis;
        var form = 1;
        long checkedCount = 0, unchained = 0;
        long? firstUnchained = null;
        DateTimeOffset? oldestUnchained = null;
        await foreach (var row in EventLog.Rows(db, 0, null, ct))
        {
            if (row.Sequence > progress)
            {
                unchained++;
                firstUnchained ??= row.Sequence;
                oldestUnchained ??= row.Timestamp;
                continue;
            }
            if (next < links.Count && links[next].Sequence < row.Sequence)
                return Broken(links[next].Sequence, checkedCount, head, "a chained event is missing from the log");
            if (next >= links.Count || links[next].Sequence != row.Sequence)
                return Broken(row.Sequence, checkedCount, head, links.Count == 0
                    ? "the chain is empty while the log has events the chain has passed"
                    : "an event in the log was never chained");
            if (AuditChain.FormOf(links[next]) < form || AuditChain.FormOf(links[next]) > AuditChain.CurrentForm)
                return Broken(row.Sequence, checkedCount, head, "a link's canonical form goes back to an older one, or is unknown");
            form = AuditChain.FormOf(links[next]);
            var hash = AuditChain.Next(previous, row, form);
            if (!string.Equals(Convert.ToHexString(hash), links[next].Hash, StringComparison.Ordinal))
                return Broken(row.Sequence, checkedCount, head, "the event differs from what was chained (data, metadata, stream or order)");
            previous = hash;
            next++;
            checkedCount++;
        }
        if (next < links.Count) return Broken(links[next].Sequence, checkedCount, head, "a chained event is missing from the log");
        var grace = TimeSpan.FromSeconds(options.Value.ChainGraceSeconds);
        if (oldestUnchained is { } oldest && clock.GetCurrentInstant().ToDateTimeOffset() - oldest > grace)
            return Broken(firstUnchained!.Value, checkedCount, head,
                $"{unchained} events past the chain's progress ({progress}) were never chained, the first committed more than {grace.TotalSeconds:0} s ago");
        if ((await EventLog.StreamDrifts(db, 1, ct)).FirstOrDefault() is { } drift)
            return Broken(drift.LastSequence ?? drift.FirstSequence ?? 0, checkedCount, head,
                $"the stream row of {drift.StreamId} differs from its events ({drift.Column})");
        return new Verification(true, checkedCount, null, head, null, unchained);
    }

    private static Verification Broken(long sequence, long checkedCount, long head, string problem) => new(false, checkedCount, sequence, head, problem);

    /// <summary>The chain head signed now; 409 when nothing is chained yet.</summary>
    public async Task<Anchor> Anchor(CancellationToken ct) =>
        await AnchorOfHead(ct) ?? throw new ProblemException(409, "Nothing to anchor", "No event has been chained yet.");

    public async Task<Anchor?> AnchorOfHead(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var head = await StoredChain.Head(session, ct);
        return head is null ? null : signer.Sign(head.Sequence, head.Hash, clock.GetCurrentInstant());
    }

    public string PublicKeyPem => signer.PublicKeyPem;

    /// <summary>
    /// Checks an anchor kept outside the system against this server's public key, and that the log as it is now still
    /// hashes to the anchored value at that sequence — recomputed from the rows, so rewriting every link is no cover.
    /// The anchor is already validated (<see cref="AnchorToCheck.Errors"/>).
    /// </summary>
    public async Task<AnchorCheck> Check(AnchorToCheck anchor, CancellationToken ct)
    {
        var (publicKey, unknown) = signer.PublicKeyNamed(anchor.KeyId);
        using (publicKey)
        {
            return publicKey is null
                ? new AnchorCheck(false, await Recomputes(anchor.Sequence!.Value, anchor.Hash!, ct), unknown)
                : await Check(anchor, publicKey, ct);
        }
    }

    /// <summary>The same check with a public key given from outside (<c>ops/ec verify --anchor … --public-key …</c>).</summary>
    public async Task<AnchorCheck> Check(AnchorToCheck anchor, System.Security.Cryptography.ECDsa publicKey, CancellationToken ct)
    {
        var signatureProblem = AnchorSigner.SignatureProblem(anchor, publicKey);
        var matches = await Recomputes(anchor.Sequence!.Value, anchor.Hash!, ct);
        return new AnchorCheck(signatureProblem is null, matches,
            signatureProblem ?? (matches ? null : "The log no longer hashes to the anchored value."));
    }

    /// <summary>Whether the rows up to <paramref name="sequence"/>, hashed in the forms their links name, give <paramref name="hash"/>.</summary>
    private async Task<bool> Recomputes(long sequence, string hash, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        // A form is only a choice of canonical text: naming another one changes the hash, so the forms may come from the links.
        var forms = (await StoredChain.Through(session, sequence, ct)).ToDictionary(l => l.Sequence, AuditChain.FormOf);
        var previous = AuditChain.Genesis;
        long last = 0;
        await foreach (var row in EventLog.Rows(db, 0, sequence, ct))
        {
            previous = AuditChain.Next(previous, row, forms.GetValueOrDefault(row.Sequence, AuditChain.CurrentForm));
            last = row.Sequence;
        }
        return last == sequence && string.Equals(Convert.ToHexString(previous), hash, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The event log in commit order, a page at a time, within a scope; secrets masked.</summary>
    public async Task<IReadOnlyList<ReplayEntry>> Replay(long fromSequence, int limit, Scope scope, bool withAccounts, CancellationToken ct) =>
        (await EventLog.Page(db, fromSequence, limit, scope, withAccounts ? [] : Identity.AccountFacts.StoredNames(store), ct)).Select(e => e with { Data = modules.WithoutSecrets(e.Type, e.Data) }).ToList();

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
