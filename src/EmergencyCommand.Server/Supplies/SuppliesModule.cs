using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Supplies;

/// <summary>Depots and their stock, supply requests, allocations that never over-commit, and the allocation plan's advice.</summary>
public sealed class SuppliesModule : IModule
{
    /// <summary>Who keeps depots and files requests; allocating is the coordinators' alone.</summary>
    public static readonly Role[] Keepers = [Role.LogisticsCoordinator, Role.Commander];

    public void Register(ModuleBuilder module) => module
        .Describe("Depots and stock, supply requests, allocations that never over-commit a depot, and the allocation plan.")
        .Facts(SupplyNarrative.Facts)
        .Timer<SupplyRequested>(e => new SupplyDeadlineReached(e.RequestId), e => e.NeededBy)
        .Services((services, _) => services.AddHostedService<SupplyNeedBackfill>().AddSingleton<WaitingNeeds>())
        .Inline<DepotProjection>()
        .Inline<SupplyRequestProjection>()
        // The allocation plan reads the requests still waiting before every allocation: they are found by an indexed column.
        .Inline<SupplyNeedProjection>(store => store.Schema.For<SupplyNeed>().Duplicate(n => n.IsWaiting));
}
