using Marten;
using Microsoft.Extensions.Options;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// Refuses to start with the chain switched off on a database that has one: the events appended meanwhile would go
/// unchained, and the gap would look like tampering (or hide it). Off is for measuring on a database without links.
/// </summary>
public sealed class ChainSwitchGuard(IOptions<AuditOptions> options, IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (options.Value.Chain) return;
        await using var session = store.QuerySession();
        ChainLink? head;
        try
        {
            head = await StoredChain.Head(session, ct);
        }
        catch (Exception e) when ((e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException)?.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return; // a database the server has never set up: no chain in it
        }
        if (head is not null)
            throw new InvalidOperationException(
                $"Audit:Chain=false, but this database holds an audit chain (through sequence {head.Sequence}): the events appended from now on would go unchained. " +
                "Keep Audit:Chain on (the default); switch it off only on a database without a chain, to measure what the chain costs.");
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
