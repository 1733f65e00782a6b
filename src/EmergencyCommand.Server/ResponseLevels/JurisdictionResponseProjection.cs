using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EmergencyCommand.Server.ResponseLevels;

/// <summary>Each jurisdiction's level history as a document, kept inline with its events by the domain's Evolve.</summary>
public sealed partial class JurisdictionResponseProjection : SingleStreamProjection<JurisdictionResponse, Guid>
{
    public JurisdictionResponseProjection() => this.IncludeFactsOf<IResponseLevelEvent>();

    public override JurisdictionResponse? Evolve(JurisdictionResponse? snapshot, Guid id, IEvent e) =>
        JurisdictionResponse.Evolve(snapshot, e.Data) is { } state ? state with { Id = id } : null;

    /// <summary>One stream per jurisdiction, so its id is derived from the code: the same code is always the same stream.</summary>
    public static Guid StreamId(string jurisdiction) => StreamIds.Named("response-level:" + jurisdiction);
}
