using EmergencyCommand.Server.Platform;
using Marten;

namespace EmergencyCommand.Server.Decisions;

/// <summary>The decision log: every command a Commander or LogisticsCoordinator had accepted, derived from the log's own metadata.</summary>
public sealed class DecisionsModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Describe("The decision log: every command of a commander, logistics coordinator or administrator, with what the decider could see.")
        .Storage(store => store.Schema.For<DecisionRecord>().Index(d => d.Sequence).Index(d => d.DecidedBy).Index(d => d.DecidedAtUtc))
        .Daemon((services, store) =>
            store.AddAsync(new DecisionLogProjection(services.GetRequiredService<Modules>().Narrative), "DecisionLog"));
}
