using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Incidents;

/// <summary>
/// Incidents and the closed loop: report → verify or dismiss → grade → dispatch → acknowledge → complete → feedback →
/// close, with merges of duplicate reports and tasks that turn overdue by themselves.
/// </summary>
public sealed class IncidentsModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Describe("Incidents and the closed loop: report, verify or dismiss, grade, dispatch tasks, acknowledge, complete, feedback, close; merges of duplicate reports.")
        .Facts(IncidentNarrative.Facts)
        .Timer<TaskDispatched>(e => new TaskDeadlineReached(e.IncidentId, e.TaskId), e => e.DueAt)
        .Inline<IncidentProjection>();
}
