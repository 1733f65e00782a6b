using System.Collections.Immutable;
using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Situation;

/// <summary>
/// Everything the cockpit shows, folded from the whole event log in commit order. It reuses each
/// feature's own Evolve, so the board can never disagree with the streams it summarises. What can no longer change
/// (a closed incident, a delivered shipment) leaves the maps for <see cref="Finished"/>, counts per jurisdiction, so the
/// state, the live board's memory and every snapshot grow with what is open, not with the length of history.
/// </summary>
/// <remarks>
/// Open incidents are counted by kind in <see cref="OpenIncidents"/>; the board reads their tasks only. So a snapshot
/// keeps the counts and the incidents with open tasks (<see cref="ForSnapshot"/>), and a state read from one is
/// <see cref="Partial"/>: before folding a batch of events it must learn the incidents they touch
/// (<see cref="Unknown"/>, <see cref="Knowing"/>) from their own streams. Reports left open for ever then cost a
/// snapshot a count, not an entry.
/// </remarks>
public sealed record SituationState(
    long Sequence,
    ImmutableDictionary<string, JurisdictionResponse> Levels,
    ImmutableDictionary<Guid, Incident> Incidents,
    ImmutableDictionary<Guid, Depot> Depots,
    ImmutableDictionary<Guid, SupplyRequest> Requests,
    ImmutableDictionary<Guid, GreenChannel> Channels,
    ImmutableDictionary<Guid, Shipment> Shipments)
{
    /// <summary>Closed incidents and delivered shipments, counted per jurisdiction (snapshots from before it read as empty).</summary>
    public ImmutableDictionary<string, FinishedTally> Finished { get; init; } = ImmutableDictionary<string, FinishedTally>.Empty;

    /// <summary>Open incidents (neither closed nor merged) counted by jurisdiction, status, category and severity.</summary>
    public ImmutableDictionary<IncidentKind, int> OpenIncidents { get; init; } = ImmutableDictionary<IncidentKind, int>.Empty;

    /// <summary>
    /// Whether <see cref="Incidents"/> may lack open incidents without open tasks (a state read from a snapshot). It always
    /// holds every open incident with an open task, and every one folded since.
    /// </summary>
    public bool Partial { get; init; }

    public static readonly SituationState Empty = new(0, ImmutableDictionary<string, JurisdictionResponse>.Empty,
        ImmutableDictionary<Guid, Incident>.Empty, ImmutableDictionary<Guid, Depot>.Empty, ImmutableDictionary<Guid, SupplyRequest>.Empty,
        ImmutableDictionary<Guid, GreenChannel>.Empty, ImmutableDictionary<Guid, Shipment>.Empty);

    /// <summary>
    /// Facts that never change the board: checkpoint checks (evidence kept in their own daily streams; a channel's status
    /// and passes live on its own stream) and the user directory. Every other fact belongs to a stream the board folds; a
    /// convention test fails for a fact that is neither, so a new kind of fact cannot slip past the cockpit unnoticed.
    /// </summary>
    public static bool Ignores(Type eventType) => eventType == typeof(CheckpointChecked) || typeof(IUserEvent).IsAssignableFrom(eventType);

    /// <summary>Whether the board folds this kind of fact (by the stream it belongs to).</summary>
    public static bool Folds(Type eventType) =>
        typeof(IResponseLevelEvent).IsAssignableFrom(eventType) || typeof(IIncidentEvent).IsAssignableFrom(eventType)
        || typeof(IDepotEvent).IsAssignableFrom(eventType) || typeof(ISupplyRequestEvent).IsAssignableFrom(eventType)
        || typeof(IGreenChannelEvent).IsAssignableFrom(eventType) || typeof(IShipmentEvent).IsAssignableFrom(eventType);

    /// <summary>
    /// Whether a fact of this kind can change the situation. A sitrep's figures and an incident's feedback count are
    /// all that <see cref="SitrepFiled"/> and <see cref="FeedbackGiven"/> change, and the board's copy of an incident
    /// blanks both (<see cref="ForTheBoard"/>), so the snapshots need not read them (a third of the benchmark's epidemic log is sitreps).
    /// Folding them changes nothing but the sequence; a test holds <see cref="ForTheBoard"/> to that.
    /// </summary>
    public static bool Changes(Type eventType) => Folds(eventType) && eventType != typeof(SitrepFiled) && eventType != typeof(FeedbackGiven);

    public SituationState Evolve(Guid streamId, long sequence, object @event) => (@event switch
    {
        IResponseLevelEvent e => WithLevel(streamId, e),
        // Closed and merged are final (the decisions refuse every change after them); a dismissed report may still be
        // merged, so it stays. Events after the end find no incident and change nothing, as the decisions allow none that count.
        IIncidentEvent => WithIncident(streamId, @event),
        IDepotEvent => Depot.Evolve(Depots.GetValueOrDefault(streamId), @event) is { } depot
            ? this with { Depots = Depots.SetItem(streamId, depot) }
            : this,
        ISupplyRequestEvent => SupplyRequest.Evolve(Requests.GetValueOrDefault(streamId), @event) is { } request
            ? this with { Requests = Requests.SetItem(streamId, request) }
            : this,
        IGreenChannelEvent => GreenChannel.Evolve(Channels.GetValueOrDefault(streamId), @event) is { } channel
            ? this with { Channels = Channels.SetItem(streamId, channel) }
            : this,
        IShipmentEvent => Shipment.Evolve(Shipments.GetValueOrDefault(streamId), @event) switch
        {
            null => this,
            { Status: ShipmentStatus.Delivered } delivered => this with
            {
                Shipments = Shipments.Remove(streamId), Finished = Tally(delivered.Jurisdiction, t => t with { DeliveredShipments = t.DeliveredShipments + 1 }),
            },
            var shipment => this with { Shipments = Shipments.SetItem(streamId, shipment) },
        },
        _ => this, // what Ignores names (see above); the convention test keeps this arm for those alone
    }) with { Sequence = sequence };

    /// <summary>
    /// What the board reads of an incident: status, category, severity, jurisdiction and, while it is open, its tasks'
    /// status and deadline. Its texts, its times, source, feedback count, duplicates, latest sitrep and the tasks of a
    /// finished incident (which can never reopen) stay out (blank or default; snapshots are stored without defaults), so
    /// that the live situation and every snapshot of it stay small: at a million events they were 72 MB of JSON each
    /// with whole incidents in them.
    /// </summary>
    /// <remarks>
    /// The board counts open tasks only, and a completed task never opens again (the decisions refuse it), so a completed
    /// task leaves the board's copy: a long-running incident's snapshot entry does not grow with the work already done.
    /// </remarks>
    private static Incident ForTheBoard(Incident incident) => incident with
    {
        Title = "", Description = "", LatestSitrep = null, ReportedBy = null, Duplicates = null,
        Source = default, OccurredAt = default, ReportedAt = default, FeedbackCount = 0,
        Tasks = incident.Status is IncidentStatus.Reported or IncidentStatus.Verified
            ? incident.Tasks.RemoveAll(t => !t.IsOpen).ConvertAll(t => t.Department.Length + t.Instruction.Length == 0 ? t : t with { Department = "", Instruction = "" })
            : [],
    };

    private SituationState WithIncident(Guid streamId, object @event)
    {
        var before = Incidents.GetValueOrDefault(streamId);
        if (Incident.Evolve(before, @event) is not { } after) return this;
        var open = IncidentKind.Of(before) == IncidentKind.Of(after) ? OpenIncidents : Counted(Counted(OpenIncidents, before, -1), after, +1);
        return (this with { OpenIncidents = open }).Placed(streamId, after);
    }

    /// <summary>An incident where its status puts it: tallied as finished when closed, gone when merged, its board copy otherwise.</summary>
    private SituationState Placed(Guid id, Incident incident) => incident.Status switch
    {
        IncidentStatus.Closed => this with { Incidents = Incidents.Remove(id), Finished = Tally(incident.Jurisdiction, t => t.WithClosed(incident)) },
        IncidentStatus.Merged => this with { Incidents = Incidents.Remove(id) },
        _ => this with { Incidents = Incidents.SetItem(id, ForTheBoard(incident)) },
    };

    private static ImmutableDictionary<IncidentKind, int> Counted(ImmutableDictionary<IncidentKind, int> counts, Incident? incident, int by)
    {
        if (IncidentKind.Of(incident) is not { } kind) return counts;
        var count = counts.GetValueOrDefault(kind) + by;
        return count == 0 ? counts.Remove(kind) : counts.SetItem(kind, count);
    }

    /// <summary>What a snapshot keeps: the counts, and of the open incidents only those with open tasks.</summary>
    public SituationState ForSnapshot() => this with
    {
        Incidents = Incidents.Where(i => !i.Value.Tasks.IsEmpty).ToImmutableDictionary(),
        Partial = true,
    };

    /// <summary>
    /// The same state with <see cref="OpenIncidents"/> counted from <see cref="Incidents"/>: for a state stored before
    /// the counts existed, which held every open incident (and, before <see cref="Finished"/> existed, the closed and
    /// merged ones too: a closed one is tallied as finished, a merged one left out, as the fold does now).
    /// </summary>
    public SituationState Recounted()
    {
        var state = this with { OpenIncidents = ImmutableDictionary<IncidentKind, int>.Empty };
        foreach (var (id, incident) in Incidents)
            state = (state with { OpenIncidents = Counted(state.OpenIncidents, incident, +1) }).Placed(id, incident);
        return state;
    }

    /// <summary>
    /// The incidents this batch of events changes that a <see cref="Partial"/> state does not hold: they must be learnt
    /// (<see cref="Knowing"/>) from their events before the batch, before it is folded. Empty for a whole state. A fact
    /// that cannot change the situation (<see cref="Changes"/>: a sitrep, a feedback) finds no incident and changes nothing,
    /// so it does not make its incident worth reading.
    /// </summary>
    public IReadOnlySet<Guid> Unknown(IEnumerable<(Guid StreamId, object Event)> batch)
    {
        var unknown = new HashSet<Guid>();
        if (!Partial) return unknown;
        var reported = new HashSet<Guid>();
        foreach (var (stream, @event) in batch)
        {
            if (@event is IncidentReported) reported.Add(stream);
            else if (@event is IIncidentEvent && Changes(@event.GetType()) && !reported.Contains(stream) && !Incidents.ContainsKey(stream))
                unknown.Add(stream);
        }
        return unknown;
    }

    /// <summary>
    /// The same state holding the incidents these histories (each an incident's events by its stream, in order, up to the
    /// state's point) leave open. They are already counted; a closed or merged one stays out, as its later events change nothing.
    /// </summary>
    public SituationState Knowing(IEnumerable<IGrouping<Guid, object>> histories)
    {
        var incidents = Incidents;
        foreach (var history in histories)
            if (Incident.Replay(history) is { Status: not (IncidentStatus.Closed or IncidentStatus.Merged) } open)
                incidents = incidents.SetItem(history.Key, ForTheBoard(open));
        return this with { Incidents = incidents };
    }

    private ImmutableDictionary<string, FinishedTally> Tally(string jurisdiction, Func<FinishedTally, FinishedTally> add) =>
        Finished.SetItem(jurisdiction, add(Finished.GetValueOrDefault(jurisdiction) ?? FinishedTally.None));

    private SituationState WithLevel(Guid streamId, IResponseLevelEvent @event)
    {
        var current = Levels.GetValueOrDefault(@event.Jurisdiction);
        return JurisdictionResponse.Evolve(current, @event) is { } next
            ? this with { Levels = Levels.SetItem(@event.Jurisdiction, next with { Id = streamId }) }
            : this;
    }
}

/// <summary>What has finished in one jurisdiction: closed incidents by category and severity, delivered shipments.</summary>
public sealed record FinishedTally(
    int ClosedIncidents,
    ImmutableDictionary<IncidentCategory, int> ClosedByCategory,
    ImmutableDictionary<Severity, int> ClosedBySeverity,
    int DeliveredShipments)
{
    public static readonly FinishedTally None = new(0, ImmutableDictionary<IncidentCategory, int>.Empty, ImmutableDictionary<Severity, int>.Empty, 0);

    public FinishedTally WithClosed(Incident incident) => this with
    {
        ClosedIncidents = ClosedIncidents + 1,
        ClosedByCategory = ClosedByCategory.SetItem(incident.Category, ClosedByCategory.GetValueOrDefault(incident.Category) + 1),
        ClosedBySeverity = incident.Severity is { } severity
            ? ClosedBySeverity.SetItem(severity, ClosedBySeverity.GetValueOrDefault(severity) + 1)
            : ClosedBySeverity,
    };
}

/// <summary>What the board counts an open incident by.</summary>
public readonly record struct IncidentKind(string Jurisdiction, IncidentStatus Status, IncidentCategory Category, Severity? Severity)
{
    /// <summary>The kind an incident is counted as, or null when it is not counted as open (none, closed or merged).</summary>
    public static IncidentKind? Of(Incident? incident) => incident is null or { Status: IncidentStatus.Closed or IncidentStatus.Merged }
        ? null
        : new IncidentKind(incident.Jurisdiction, incident.Status, incident.Category, incident.Severity);
}
