using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using EmergencyCommand.Server.Platform;
using Npgsql;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// Extends the chain as the async daemon reads committed events in order: the write path never waits for a
/// hash, and never serialises behind one. The links it stores are what verification checks the log against. New links
/// take the current canonical form; links already stored keep theirs (a rebuild would re-hash whatever the log says now).
/// </summary>
public sealed class AuditChainProjection(NpgsqlDataSource db) : IProjection
{
    public const string Name = "AuditChain";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        var first = events[0].Sequence;
        var rows = await EventLog.Rows(db, events.Select(e => e.Sequence).ToList(), ct);

        // The head comes from the store on every page, never from memory: after a failed commit, a rebuild or another
        // node's turn at the daemon, what is committed is the only head there is. Links at or past the page's first
        // event are being chained again (a retry or a rebuild), so this page decides them.
        var block = await operations.LoadAsync<AuditBlock>(AuditBlock.IdOf(first), ct) ?? new AuditBlock { Id = AuditBlock.IdOf(first) };
        block.Links.RemoveAll(l => l.Sequence >= first);
        var head = block.Links.LastOrDefault() ?? await StoredChain.LastBefore(operations, first, ct);
        var hash = head is null ? AuditChain.Genesis : Convert.FromHexString(head.Hash);

        foreach (var row in rows)
        {
            if (AuditBlock.IdOf(row.Sequence) != block.Id)
            {
                operations.Store(block);
                block = new AuditBlock { Id = AuditBlock.IdOf(row.Sequence) };
            }
            hash = AuditChain.Next(hash, row);
            block.Links.Add(new ChainLink(row.Sequence, Convert.ToHexString(hash), AuditChain.CurrentForm));
        }
        operations.Store(block);
    }
}
