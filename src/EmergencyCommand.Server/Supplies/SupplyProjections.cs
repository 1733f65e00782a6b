using EmergencyCommand.Domain.Supplies;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EmergencyCommand.Server.Supplies;

/// <summary>Each depot's stock as a document, inline with its events, by the domain's Evolve.</summary>
public sealed partial class DepotProjection : SingleStreamProjection<Depot, Guid>
{
    public override Depot? Evolve(Depot? snapshot, Guid id, IEvent e) => Depot.Evolve(snapshot, e.Data);
}

/// <summary>Each supply request as a document, inline with its events; the allocation plan reads these.</summary>
public sealed partial class SupplyRequestProjection : SingleStreamProjection<SupplyRequest, Guid>
{
    public override SupplyRequest? Evolve(SupplyRequest? snapshot, Guid id, IEvent e) => SupplyRequest.Evolve(snapshot, e.Data);
}
