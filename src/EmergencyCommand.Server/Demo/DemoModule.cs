using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Demo;

/// <summary>The demo epidemic written through the API on an empty store, and the drill that keeps the cockpit moving.</summary>
public sealed class DemoModule : IModule
{
    public void Register(ModuleBuilder module) => module.Services((services, config) =>
    {
        services.Configure<DemoScenarioOptions>(config.GetSection("Demo"));
        services.AddHostedService<DemoScenario>();
    });
}
