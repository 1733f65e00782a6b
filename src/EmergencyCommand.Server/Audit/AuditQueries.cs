using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Wolverine.Http;

namespace EmergencyCommand.Server.Audit;

public sealed class AuditOptions
{
    /// <summary>Signs exported chain anchors. Kept in configuration, never in the database it vouches for.</summary>
    public string AnchorKey { get; set; } = "";
}

public sealed record Verification(bool Valid, long EventsChecked, long? FirstBrokenSequence, long ChainedThrough, string? Problem);

/// <summary>The chain head, signed: keep it outside the system to prove later that the log shown is the same one.</summary>
public sealed record Anchor(long Sequence, string Hash, Instant SignedAt, string Algorithm, string Signature);

public sealed record AnchorCheck(bool SignatureValid, bool MatchesLog, string? Problem);

public sealed record ReplayEntry(long Sequence, Instant At, string Type, Guid StreamId, long Version, string? Actor, JsonNode? Data);

public static class AuditQueries
{
    /// <summary>
    /// Recomputes the chain from the raw rows and compares it with the stored links. An edited, deleted, inserted
    /// or reordered event breaks it at the first affected sequence; restoring the row mends it.
    /// </summary>
    [WolverineGet("/api/audit/verification", OperationId = "VerifyAuditChain")]
    public static async Task<Verification> Verify(NpgsqlDataSource db, IQuerySession session, CancellationToken ct)
    {
        var links = await session.Query<AuditLink>().OrderBy(l => l.Id).ToListAsync(ct);
        if (links.Count == 0) return new Verification(true, 0, null, 0, null);
        var head = links[^1].Id;
        var next = 0;
        var previous = AuditChain.Genesis;
        long checkedCount = 0;
        await foreach (var row in AuditChain.ReadAll(db, 0, head, ct))
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

    private static Verification Broken(long sequence, long checkedCount, long head, string problem) =>
        new(false, checkedCount, sequence, head, problem);

    [WolverineGet("/api/audit/anchor", OperationId = "ExportAuditAnchor")]
    public static async Task<Anchor> ExportAnchor(IQuerySession session, IOptions<AuditOptions> options, IClock clock, CancellationToken ct)
    {
        var head = await session.Query<AuditLink>().OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct)
                   ?? throw new ProblemException(409, "Nothing to anchor", "No event has been chained yet.");
        var at = clock.GetCurrentInstant();
        return new Anchor(head.Id, head.Hash, at, "HMAC-SHA256", Sign(options.Value, head.Id, head.Hash, at));
    }

    public static string Sign(AuditOptions options, long sequence, string hash, Instant at)
    {
        if (Encoding.UTF8.GetByteCount(options.AnchorKey) < 32)
            throw new ProblemException(503, "Anchors unavailable", "Audit:AnchorKey is not configured (at least 32 bytes).");
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(options.AnchorKey));
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{sequence}:{hash.ToUpperInvariant()}:{at}")));
    }

    /// <summary>The event log in commit order, a page at a time, optionally within a jurisdiction.</summary>
    [WolverineGet("/api/replay", OperationId = "Replay")]
    public static async Task<IReadOnlyList<ReplayEntry>> Replay(string? fromSequence, string? limit, string? jurisdiction, NpgsqlDataSource db, CancellationToken ct)
    {
        var from = Whole(fromSequence, "fromSequence", 0, long.MaxValue) ?? 0;
        var take = Whole(limit, "limit", 1, 1000) ?? 100;
        var within = QueryValues.Jurisdiction(jurisdiction);
        var prefix = within is null || within == Jurisdictions.Nation ? null : Jurisdictions.CoveredPrefix(within) + "%";
        await using var command = db.CreateCommand(
            $"select seq_id, timestamp, mt_dotnet_type, type, stream_id, version, user_name, data::text from {EventStore.Schema}.mt_events " +
            "where seq_id >= $1 and ($2::text is null or headers->>'jurisdiction' like $2) order by seq_id limit $3");
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)prefix ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<ReplayEntry>();
        while (await reader.ReadAsync(ct))
        {
            var dotnetType = reader.IsDBNull(2) ? reader.GetString(3) : reader.GetString(2);
            var type = dotnetType.Split(',')[0].Split('.', '+')[^1];
            entries.Add(new ReplayEntry(reader.GetInt64(0), Instant.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(1)), type,
                reader.IsDBNull(4) ? Guid.Empty : reader.GetGuid(4), reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                JsonNode.Parse(reader.GetString(7))));
        }
        return entries;
    }

    private static long? Whole(string? value, string field, long min, long max)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return long.TryParse(value, out var n) && n >= min && n <= max
            ? n
            : throw ProblemException.Invalid(field, $"must be a whole number from {min} to {max}");
    }
}

public sealed record AnchorToCheck(long? Sequence, string? Hash, Instant? SignedAt, string? Signature);

public static class CheckAnchorEndpoint
{
    public static ProblemDetails Validate(AnchorToCheck? anchor) => anchor is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Positive("sequence", anchor.Sequence).Require("hash", anchor.Hash, 64).Require("signedAt", anchor.SignedAt)
            .Require("signature", anchor.Signature, 64).ToProblem();

    /// <summary>
    /// Checks an anchor kept outside the system: its signature is this server's, and the log as it is now still
    /// hashes to the anchored value at that sequence — recomputed from the rows, so rewriting every link is no cover.
    /// </summary>
    [WolverinePost("/api/audit/anchor/verification", OperationId = "CheckAuditAnchor")]
    public static Task<AnchorCheck> Post(AnchorToCheck anchor, NpgsqlDataSource db, IOptions<AuditOptions> options, CancellationToken ct) =>
        Check(anchor, db, options.Value, ct);

    /// <summary>The check itself, also run offline by <c>ops/ec verify --anchor FILE</c>; the anchor is already validated.</summary>
    public static async Task<AnchorCheck> Check(AnchorToCheck anchor, NpgsqlDataSource db, AuditOptions options, CancellationToken ct)
    {
        var expected = AuditQueries.Sign(options, anchor.Sequence!.Value, anchor.Hash!, anchor.SignedAt!.Value);
        var signatureValid = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(anchor.Signature!.ToUpperInvariant()));
        var previous = AuditChain.Genesis;
        long last = 0;
        await foreach (var row in AuditChain.ReadAll(db, 0, anchor.Sequence.Value, ct))
        {
            previous = AuditChain.Next(previous, row);
            last = row.Sequence;
        }
        var matches = last == anchor.Sequence && string.Equals(Convert.ToHexString(previous), anchor.Hash, StringComparison.OrdinalIgnoreCase);
        return new AnchorCheck(signatureValid, matches,
            !signatureValid ? "The signature is not this server's." : matches ? null : "The log no longer hashes to the anchored value.");
    }

}
