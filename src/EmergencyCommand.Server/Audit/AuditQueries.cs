using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Audit;

public static class AuditQueries
{
    [WolverineGet("/api/audit/verification", OperationId = "VerifyAuditChain")]
    public static Task<Verification> Verify(AuditEvidence evidence, CancellationToken ct) => evidence.Verify(ct);

    [WolverineGet("/api/audit/anchor", OperationId = "ExportAuditAnchor")]
    public static Task<Anchor> ExportAnchor(AuditEvidence evidence, CancellationToken ct) => evidence.Anchor(ct);

    /// <summary>The event log in commit order, a page at a time, optionally within a jurisdiction.</summary>
    [WolverineGet("/api/replay", OperationId = "Replay")]
    public static Task<IReadOnlyList<ReplayEntry>> Replay(string? fromSequence, string? limit, string? jurisdiction, AuditEvidence evidence,
        CancellationToken ct) =>
        evidence.Replay(QueryValues.Whole(fromSequence, "fromSequence", 0, long.MaxValue) ?? 0,
            (int)(QueryValues.Whole(limit, "limit", 1, 1000) ?? 100), QueryValues.Scope(jurisdiction), ct);
}

public static class CheckAnchorEndpoint
{
    public static ProblemDetails Validate(AnchorToCheck? anchor) => anchor is null ? FieldErrors.MissingBody() : anchor.Errors().ToProblem();

    /// <summary>
    /// Checks an anchor kept outside the system: its signature is this server's, and the log as it is now still
    /// hashes to the anchored value at that sequence.
    /// </summary>
    [WolverinePost("/api/audit/anchor/verification", OperationId = "CheckAuditAnchor")]
    public static Task<AnchorCheck> Post(AnchorToCheck anchor, AuditEvidence evidence, CancellationToken ct) => evidence.Check(anchor, ct);
}
