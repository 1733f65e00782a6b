using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Inbox;

/// <summary>A commander's escalation inbox: the overdue tasks and supply requests escalated to them, until they are met.</summary>
public sealed class InboxModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Describe("Escalations: overdue tasks and supply requests escalated to a commander, until they are met.")
        .Storage(store => store.Schema.For<Escalation>().Index(e => e.EscalatedTo))
        .Inline(new EscalationProjection());
}
