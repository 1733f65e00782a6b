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

    private (long Sequence, byte[] Hash)? _head;

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        var rows = await EventLog.Rows(db, events.Select(e => e.Sequence).ToList(), ct);
        var head = _head ?? await LastLink(operations, rows[0].Sequence, ct);
        foreach (var row in rows)
        {
            if (row.Sequence <= head.Sequence) continue;
            var hash = AuditChain.Next(head.Hash, row);
            operations.Store(new AuditLink { Id = row.Sequence, Previous = head.Sequence, Hash = Convert.ToHexString(hash), Form = AuditChain.CurrentForm });
            head = (row.Sequence, hash);
        }
        _head = head;
    }

    private static async Task<(long, byte[])> LastLink(IDocumentOperations operations, long before, CancellationToken ct)
    {
        var last = await operations.Query<AuditLink>().Where(l => l.Id < before).OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        return last is null ? (0, AuditChain.Genesis) : (last.Id, Convert.FromHexString(last.Hash));
    }
}
