using System.Collections.Immutable;
using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Situation;

/// <summary>
/// Everything the cockpit shows, folded from the whole event log in commit order. It reuses each
/// feature's own Evolve, so the board can never disagree with the streams it summarises.
/// </summary>
public sealed record SituationState(
    long Sequence,
    ImmutableDictionary<string, JurisdictionResponse> Levels,
    ImmutableDictionary<Guid, Incident> Incidents,
    ImmutableDictionary<Guid, Depot> Depots,
    ImmutableDictionary<Guid, SupplyRequest> Requests,
    ImmutableDictionary<Guid, GreenChannel> Channels,
    ImmutableDictionary<Guid, Shipment> Shipments)
{
    public static readonly SituationState Empty = new(0, ImmutableDictionary<string, JurisdictionResponse>.Empty,
        ImmutableDictionary<Guid, Incident>.Empty, ImmutableDictionary<Guid, Depot>.Empty, ImmutableDictionary<Guid, SupplyRequest>.Empty,
        ImmutableDictionary<Guid, GreenChannel>.Empty, ImmutableDictionary<Guid, Shipment>.Empty);

    public SituationState Evolve(Guid streamId, long sequence, object @event) => (@event switch
    {
        ResponseLevelDeclared or ResponseLevelEscalated or ResponseLevelDeescalated or ResponseLevelTerminated =>
            WithLevel(streamId, @event),
        IncidentReported or IncidentVerified or IncidentDismissed or IncidentGraded or TaskDispatched or TaskAcknowledged
            or TaskCompleted or SitrepFiled or FeedbackGiven or IncidentClosed or TaskBecameOverdue or IncidentMerged or DuplicateAbsorbed =>
            Incident.Evolve(Incidents.GetValueOrDefault(streamId), @event) is { } incident
                ? this with { Incidents = Incidents.SetItem(streamId, ForTheBoard(incident)) }
                : this,
        DepotRegistered or StockReceived or StockReserved or ReservationReleased or StockDelivered =>
            Depot.Evolve(Depots.GetValueOrDefault(streamId), @event) is { } depot
                ? this with { Depots = Depots.SetItem(streamId, depot) }
                : this,
        SupplyRequested or SuppliesAllocated or AllocationCancelled or SupplyRequestCancelled or AllocationShipped or SuppliesDelivered or SupplyRequestOverdue =>
            SupplyRequest.Evolve(Requests.GetValueOrDefault(streamId), @event) is { } request
                ? this with { Requests = Requests.SetItem(streamId, request) }
                : this,
        GreenChannelOpened or PassIssued or PassRevoked or ChannelDisrupted or ChannelRestored or ChannelClosed =>
            GreenChannel.Evolve(Channels.GetValueOrDefault(streamId), @event) is { } channel
                ? this with { Channels = Channels.SetItem(streamId, channel) }
                : this,
        ShipmentDispatched or ShipmentDelivered =>
            Shipment.Evolve(Shipments.GetValueOrDefault(streamId), @event) is { } shipment
                ? this with { Shipments = Shipments.SetItem(streamId, shipment) }
                : this,
        _ => this,
    }) with { Sequence = sequence };

    /// <summary>
    /// What the board reads of an incident: status, category, severity, jurisdiction and, while it is open, its tasks'
    /// status and deadline. Its texts, its latest sitrep and the tasks of a finished incident (which can never reopen)
    /// stay out, so that the live situation and every snapshot of it stay small: at a million events they were
    /// 72 MB of JSON each with whole incidents in them.
    /// </summary>
    private static Incident ForTheBoard(Incident incident) => incident with
    {
        Title = "", Description = "", LatestSitrep = null,
        Tasks = incident.Status is IncidentStatus.Reported or IncidentStatus.Verified
            ? incident.Tasks.ConvertAll(t => t.Department.Length + t.Instruction.Length == 0 ? t : t with { Department = "", Instruction = "" })
            : [],
    };

    private SituationState WithLevel(Guid streamId, object @event)
    {
        var jurisdiction = @event switch
        {
            ResponseLevelDeclared e => e.Jurisdiction,
            ResponseLevelEscalated e => e.Jurisdiction,
            ResponseLevelDeescalated e => e.Jurisdiction,
            ResponseLevelTerminated e => e.Jurisdiction,
            _ => "",
        };
        var current = Levels.GetValueOrDefault(jurisdiction);
        return JurisdictionResponse.Evolve(current, @event) is { } next
            ? this with { Levels = Levels.SetItem(jurisdiction, next with { Id = streamId }) }
            : this;
    }
}
