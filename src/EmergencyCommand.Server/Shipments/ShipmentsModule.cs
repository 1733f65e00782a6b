using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Shipments;

/// <summary>Shipments: an allocation carried along a green channel under a pass, ending in a receipt at its destination.</summary>
public sealed class ShipmentsModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Describe("Shipments: an allocation carried along a green channel under a pass, ending in a receipt.")
        .Facts(ShipmentNarrative.Facts)
        .Inline<ShipmentProjection>();
}
