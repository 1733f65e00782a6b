using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Marten;

namespace EmergencyCommand.Server.Supplies;

/// <summary>
/// Gives the allocation plan the requests filed before <see cref="SupplyNeed"/> existed (a database written by an
/// earlier version): each one under its stream's row lock, from the request as it then stands, so an allocation made
/// meanwhile is neither missed nor counted twice. When nothing is missing it costs two counts.
/// </summary>
public sealed class SupplyNeedBackfill(IDocumentStore store, IHostApplicationLifetime lifetime, ILogger<SupplyNeedBackfill> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await lifetime.Started(stoppingToken);

            await using var query = store.QuerySession();
            if (await query.Query<SupplyNeed>().CountAsync(stoppingToken) >= await query.Query<SupplyRequest>().CountAsync(stoppingToken)) return;
            var known = (await query.Query<SupplyNeed>().Select(n => n.Id).ToListAsync(stoppingToken)).ToHashSet();
            var missing = (await query.Query<SupplyRequest>().Select(r => r.Id).ToListAsync(stoppingToken)).Where(id => !known.Contains(id)).ToList();
            foreach (var id in missing)
            {
                await using var session = store.LightweightSession();
                var stream = await session.Events.FetchForExclusiveWriting<SupplyRequest>(id, stoppingToken);
                if (await session.LoadAsync<SupplyNeed>(id, stoppingToken) is null && SupplyNeed.Of(stream.Aggregate) is { } need) session.Store(need);
                await session.SaveChangesAsync(stoppingToken);
            }
            log.LogInformation("Gave the allocation plan {Count} supply requests filed before it read them on their own", missing.Count);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            log.LogError(e, "The allocation plan could not be given the supply requests filed before this version; restart to try again");
        }
    }
}
