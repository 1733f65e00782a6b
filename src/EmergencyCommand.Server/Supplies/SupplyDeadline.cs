using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Auth;
using EmergencyCommand.Server.Platform;
using Wolverine.Attributes;

namespace EmergencyCommand.Server.Supplies;

/// <summary>A supply request's needed-by time has come (scheduled by <see cref="SupplyRequested"/>, see <see cref="SuppliesModule"/>).</summary>
// Named as before the module split, so timers already scheduled in a store still find their handler.
[MessageIdentity("EmergencyCommand.Server.Deadlines.SupplyDeadlineReached")]
public sealed record SupplyDeadlineReached(Guid RequestId);

/// <summary>A request not fully allocated by its needed-by time is flagged to the most local commander covering it.</summary>
public static class SupplyDeadlineHandler
{
    public static Task Handle(SupplyDeadlineReached deadline, EventStreams streams, UserDirectory users, ILogger<SupplyDeadlineReached> log,
        CancellationToken ct)
    {
        log.LogInformation("Needed-by time of supply request {RequestId} reached", deadline.RequestId);
        return streams.Append<SupplyRequest>(CommandContext.Server(), deadline.RequestId, [Role.System],
            (request, now) => SupplyDecisions.MarkOverdue(request, users.CommanderFor(request.Jurisdiction), now), ct);
    }
}
