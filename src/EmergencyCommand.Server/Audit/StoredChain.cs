using Marten;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// The chain as stored: the links of the blocks, after the links a database stored one document per event before
/// blocks existed (those below the first block link). Verification, anchors and the daemon all read it here.
/// </summary>
public static class StoredChain
{
    /// <summary>Every link at or below <paramref name="through"/>, in commit order.</summary>
    public static async Task<List<ChainLink>> Through(IQuerySession session, long through, CancellationToken ct)
    {
        var blocks = await session.Query<AuditBlock>().Where(b => b.Id <= through).OrderBy(b => b.Id).ToListAsync(ct);
        var inBlocks = blocks.SelectMany(b => b.Links).Where(l => l.Sequence <= through).ToList();
        var firstInBlocks = inBlocks.Count == 0 ? long.MaxValue : inBlocks[0].Sequence;
        var older = await session.Query<AuditLink>().Where(l => l.Id <= through && l.Id < firstInBlocks).OrderBy(l => l.Id).ToListAsync(ct);
        return [.. older.Select(l => new ChainLink(l.Id, l.Hash, l.Form)), .. inBlocks];
    }

    /// <summary>The newest link below <paramref name="before"/>; null when nothing before it is chained (the genesis).</summary>
    public static async Task<ChainLink?> LastBefore(IQuerySession session, long before, CancellationToken ct)
    {
        var bound = before;
        while (await session.Query<AuditBlock>().Where(b => b.Id < bound).OrderByDescending(b => b.Id).FirstOrDefaultAsync(ct) is { } block)
        {
            if (block.Links.LastOrDefault(l => l.Sequence < before) is { } link) return link;
            bound = block.Id;
        }
        var older = await session.Query<AuditLink>().Where(l => l.Id < before).OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        return older is null ? null : new ChainLink(older.Id, older.Hash, older.Form);
    }

    /// <summary>The chain's head: the newest link there is.</summary>
    public static Task<ChainLink?> Head(IQuerySession session, CancellationToken ct) => LastBefore(session, long.MaxValue, ct);
}
