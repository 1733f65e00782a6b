using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EmergencyCommand.Server.Supplies;

/// <summary>Each depot's stock as a document, inline with its events, by the domain's Evolve.</summary>
public sealed partial class DepotProjection : SingleStreamProjection<Depot, Guid>
{
    public DepotProjection() => this.IncludeFactsOf<IDepotEvent>();

    public override Depot? Evolve(Depot? snapshot, Guid id, IEvent e) => Depot.Evolve(snapshot, e.Data);
}

/// <summary>Each supply request as a document, inline with its events: what its views and the decisions on it read.</summary>
public sealed partial class SupplyRequestProjection : SingleStreamProjection<SupplyRequest, Guid>
{
    public SupplyRequestProjection() => this.IncludeFactsOf<ISupplyRequestEvent>();

    public override SupplyRequest? Evolve(SupplyRequest? snapshot, Guid id, IEvent e) => SupplyRequest.Evolve(snapshot, e.Data);
}

/// <summary>Each supply request without its allocation history, inline with its events: what the allocation plan reads.</summary>
public sealed partial class SupplyNeedProjection : SingleStreamProjection<SupplyNeed, Guid>
{
    public SupplyNeedProjection() => this.IncludeFactsOf<ISupplyRequestEvent>();

    public override SupplyNeed? Evolve(SupplyNeed? snapshot, Guid id, IEvent e) => SupplyNeed.Evolve(snapshot, e.Data);
}
