using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.GreenChannels;

/// <summary>Green channels (应急运输绿色通道): corridors, vehicle passes, checkpoint checks, disruptions and closures.</summary>
public sealed class GreenChannelsModule : IModule
{
    /// <summary>Who runs channels and their passes.</summary>
    public static readonly Role[] Operators = [Role.LogisticsCoordinator, Role.Commander];

    public void Register(ModuleBuilder module) => module
        .Describe("Green channels (emergency transport corridors): vehicle passes, checkpoint checks, disruptions, restorations and closures.")
        .Facts(GreenChannelNarrative.Facts)
        .PersonalData<PassIssued>("vehiclePlate", "driver")
        .Inline<GreenChannelProjection>();
}
