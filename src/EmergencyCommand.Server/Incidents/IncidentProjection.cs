using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EmergencyCommand.Server.Incidents;

/// <summary>
/// Keeps each incident's current state as a document (inline, in the same transaction as its events),
/// built by the domain's own <see cref="Incident.Evolve"/> so there is one definition of the state.
/// The documents also serve the incident list.
/// </summary>
public sealed partial class IncidentProjection : SingleStreamProjection<Incident, Guid>
{
    public IncidentProjection() => this.IncludeFactsOf<IIncidentEvent>();

    public override Incident? Evolve(Incident? snapshot, Guid id, IEvent e)
    {
        var incident = Incident.Evolve(snapshot, e.Data);
        // Who reported is the event's metadata, not one of its facts: the document keeps it for "my reports".
        return incident is not null && e.Data is IncidentReported ? incident with { ReportedBy = e.UserName } : incident;
    }
}
