using EmergencyCommand.Server.Platform;
using EmergencyCommand.Domain.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Audit;

/// <summary>The log itself and the evidence about it: for reviewers, administrators, and commanders over their own subtree.</summary>
public static class AuditQueries
{
    [WolverineGet("/api/audit/verification", OperationId = "VerifyAuditChain")]
    public static Task<Verification> Verify(Reader reader, AuditEvidence evidence, CancellationToken ct)
    {
        reader.Demand(Reader.Auditors);
        return evidence.Verify(ct);
    }

    /// <summary>
    /// The chain's head signed now, for reviewers and administrators (commanders verify and check anchors, sign none), a few per
    /// minute per user: the witness anchors the log every few minutes anyway.
    /// </summary>
    [WolverineGet("/api/audit/anchor", OperationId = "ExportAuditAnchor")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public static Task<Anchor> ExportAnchor(Reader reader, AuditEvidence evidence, AnchorThrottle throttle, CancellationToken ct)
    {
        reader.Demand(Signers);
        throttle.Take(reader.Actor.UserName);
        return evidence.Anchor(ct);
    }

    private static readonly Role[] Signers = [Role.Reviewer, Role.Administrator];

    /// <summary>
    /// The public key that checks anchors, as PEM, open to anyone: an outsider should still take it from a copy kept when
    /// the server was set up, not only from the server whose log is in question.
    /// </summary>
    [WolverineGet("/api/audit/public-key", OperationId = "AuditPublicKey")]
    [AllowAnonymous]
    [Produces(PemType)]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, PemType)]
    public static IResult PublicKey(AuditEvidence evidence) => Results.Text(evidence.PublicKeyPem, PemType);

    public const string PemType = "application/x-pem-file";

    /// <summary>
    /// The event log in commit order, a page at a time, within the reader's jurisdictions (and <c>?jurisdiction=</c>);
    /// personal data in it only for readers whose work needs it.
    /// </summary>
    [WolverineGet("/api/replay", OperationId = "Replay")]
    public static async Task<IReadOnlyList<ReplayEntry>> Replay(string? fromSequence, string? limit, string? jurisdiction, Reader reader,
        AuditEvidence evidence, Modules modules, CancellationToken ct)
    {
        reader.Demand(Reader.Auditors);
        var page = await evidence.Replay(QueryValues.Whole(fromSequence, "fromSequence", 0, long.MaxValue) ?? 0,
            (int)(QueryValues.Whole(limit, "limit", 1, 1000) ?? 100), reader.Within(jurisdiction), reader.SeesAccounts, ct);
        return page.Select(e => Withholding(e, reader, modules)).ToList();
    }

    /// <summary>The entry with its personal fields withheld, unless the reader's work needs them.</summary>
    private static ReplayEntry Withholding(ReplayEntry entry, Reader reader, Modules modules)
    {
        var fields = modules.PersonalFields(entry.Type);
        if (fields.Count == 0 || entry.Data is not System.Text.Json.Nodes.JsonObject data || reader.SeesPersonalDataOf(entry.Jurisdiction ?? "000000"))
            return entry;
        var masked = data.DeepClone().AsObject();
        foreach (var field in fields.Where(masked.ContainsKey)) masked[field] = Reader.Withheld;
        return entry with { Data = masked };
    }
}

public static class CheckAnchorEndpoint
{
    public static ProblemDetails Validate(AnchorToCheck? anchor) => anchor is null ? FieldErrors.MissingBody() : anchor.Errors().ToProblem();

    /// <summary>
    /// Checks an anchor kept outside the system: its signature is this server's anchor key's (ECDSA P-256), and the log as
    /// it is now still hashes to the anchored value at that sequence.
    /// </summary>
    [WolverinePost("/api/audit/anchor/verification", OperationId = "CheckAuditAnchor")]
    public static Task<AnchorCheck> Post(AnchorToCheck anchor, Reader reader, AuditEvidence evidence, CancellationToken ct)
    {
        reader.Demand(Reader.Auditors);
        return evidence.Check(anchor, ct);
    }
}
