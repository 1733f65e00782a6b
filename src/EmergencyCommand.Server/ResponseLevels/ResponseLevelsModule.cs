using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.ResponseLevels;

/// <summary>Response levels I–IV, one stream per jurisdiction: declared, escalated, de-escalated, terminated.</summary>
public sealed class ResponseLevelsModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Describe("Response levels I–IV per jurisdiction: declared, escalated, de-escalated and terminated, each with its rationale and the time it takes effect.")
        .Facts(ResponseLevelNarrative.Facts)
        .Inline<JurisdictionResponseProjection>()
        .Services((services, config) => services.Configure<EffectiveAtBounds>(config.GetSection("ResponseLevels")));
}
