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
        .PersonalData<CheckpointChecked>("presentedPlate")
        // Codes in the older events, written before codes were hashed: masked for every reader, always.
        .Secret<PassIssued>("passCode", PassCodes.Mask)
        .Secret<CheckpointChecked>("presentedCode", PassCodes.Mask)
        .Inline<GreenChannelProjection>()
        .Inline(new PassAdmissionProjection())
        // A projection of its own declares no document to Marten: named here, `resources setup` creates its table (the
        // app role may not, at the first check).
        .Storage(store => store.Schema.For<PassAdmission>())
        .Services((services, config) =>
        {
            // Refused here, before anything starts, when no key is given outside Development and Demo.
            var key = PassCodeKey.From(config, config[HostDefaults.EnvironmentKey] ?? Environments.Production);
            services.AddSingleton(key);
            services.AddSingleton(new PassageRules(config.GetValue("GreenChannels:TopSpeedKmh", 120.0)));
        });
}
