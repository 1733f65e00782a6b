using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Identity;
using EmergencyCommand.Server.Platform;
using Marten;
using Wolverine.Attributes;

namespace EmergencyCommand.Server.Supplies;

/// <summary>A supply request's needed-by time has come (scheduled by <see cref="SupplyRequested"/>, see <see cref="SuppliesModule"/>).</summary>
// Named as before the module split, so timers already scheduled in a store still find their handler.
[MessageIdentity("EmergencyCommand.Server.Deadlines.SupplyDeadlineReached")]
public sealed record SupplyDeadlineReached(Guid RequestId);

/// <summary>A request not fully allocated by its needed-by time is flagged to the most local commander covering it.</summary>
public static class SupplyDeadlineHandler
{
    public static async Task Handle(SupplyDeadlineReached deadline, EventStreams streams, UserDirectory users, IQuerySession session,
        ILogger<SupplyDeadlineReached> log, CancellationToken ct)
    {
        log.LogInformation("Needed-by time of supply request {RequestId} reached", deadline.RequestId);
        if (await session.LoadAsync<SupplyRequest>(deadline.RequestId, ct) is not { } known) return;
        var commander = await users.CommanderFor(known.Jurisdiction, ct);
        await streams.Append<SupplyRequest>(CommandContext.Server(), deadline.RequestId, [Role.System],
            (request, now) => SupplyDecisions.MarkOverdue(request, commander, now), ct);
    }
}
