using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Incidents;

public static class IncidentTasks
{
    /// <summary>An unknown task of a known incident is a 404, like any unknown id.</summary>
    public static Incident RequireTask(this Incident incident, Guid taskId) =>
        incident.Task(taskId) is null ? throw ProblemException.NotFound($"Task {taskId} of incident {incident.Id}") : incident;
}
