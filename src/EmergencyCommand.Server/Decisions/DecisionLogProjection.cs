using System.Text.Json;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using NodaTime;

namespace EmergencyCommand.Server.Decisions;

public sealed record DecisionEvent(long Sequence, long Version, string Type);

/// <summary>One accepted command of a Commander or LogisticsCoordinator, as the event log records it.</summary>
public sealed class DecisionRecord
{
    public Guid Id { get; set; }
    public string Type { get; set; } = "";
    public Guid StreamId { get; set; }
    public string DecidedBy { get; set; } = "";
    public string[] Roles { get; set; } = [];
    public string[] DeciderJurisdictions { get; set; } = [];
    public string? Jurisdiction { get; set; }
    public string? Rationale { get; set; }
    public Instant DecidedAt { get; set; }
    /// <summary>The same instant as a type Marten can filter on in SQL.</summary>
    public DateTimeOffset DecidedAtUtc { get; set; }
    public long Sequence { get; set; }
    public string? CorrelationId { get; set; }
    /// <summary>An allocation that went against the allocation plan's advice.</summary>
    public bool DepartsFromPlan { get; set; }
    /// <summary>Type, stream and rationale come from the event on the command's subject stream once it is seen.</summary>
    public bool SubjectSeen { get; set; }
    public List<DecisionEvent> Events { get; set; } = [];
}

/// <summary>
/// The decision log is derived from the events' own metadata by the async daemon, never written beside
/// them, so it cannot disagree with the log. Rebuilding it from scratch gives the same records.
/// </summary>
public sealed class DecisionLogProjection(Narrative narrative) : IProjection
{
    private static readonly string[] DecidingRoles = ["Commander", "LogisticsCoordinator", "Administrator"];

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var decisions = new List<(IEvent Event, Guid Id, string[] Roles)>();
        foreach (var e in events)
        {
            var roles = Strings(e, EventHeaders.Roles);
            if (roles.Any(DecidingRoles.Contains) && Guid.TryParse(Strings(e, EventHeaders.Decision).FirstOrDefault(), out var id))
                decisions.Add((e, id, roles));
        }
        if (decisions.Count == 0) return;

        // A decision's events may straddle two pages: the records begun on an earlier page, in one round trip.
        var touched = (await operations.LoadManyAsync<DecisionRecord>(ct, decisions.Select(d => d.Id).Distinct()))
            .ToDictionary(r => r.Id);
        foreach (var (e, id, roles) in decisions)
        {
            var subject = Strings(e, EventHeaders.Subject).FirstOrDefault();
            var onSubject = subject is null || subject == e.StreamId.ToString();
            if (!touched.TryGetValue(id, out var record))
            {
                record = new DecisionRecord
                {
                    Id = id,
                    Type = e.Data.GetType().Name,
                    StreamId = e.StreamId,
                    DecidedBy = e.UserName ?? "unknown",
                    Roles = roles,
                    DeciderJurisdictions = Strings(e, EventHeaders.Jurisdictions),
                    Jurisdiction = Strings(e, EventHeaders.Jurisdiction).FirstOrDefault(),
                    Rationale = narrative.RationaleOf(e.Data),
                    DecidedAt = Instant.FromDateTimeOffset(e.Timestamp),
                    DecidedAtUtc = e.Timestamp,
                    Sequence = e.Sequence,
                    CorrelationId = e.CorrelationId,
                    SubjectSeen = onSubject,
                };
                touched[id] = record;
            }
            // An allocation reserves in the depot first, but it is a decision about the request.
            if (!record.SubjectSeen && onSubject)
            {
                (record.Type, record.StreamId, record.SubjectSeen) = (e.Data.GetType().Name, e.StreamId, true);
                record.Rationale = narrative.RationaleOf(e.Data) ?? record.Rationale;
            }
            record.Rationale ??= narrative.RationaleOf(e.Data);
            if (e.Data is SuppliesAllocated { DepartsFromPlan: true }) record.DepartsFromPlan = true;
            if (record.Events.All(x => x.Sequence != e.Sequence))
                record.Events.Add(new DecisionEvent(e.Sequence, e.Version, e.Data.GetType().Name));
        }
        foreach (var record in touched.Values) operations.Store(record);
    }

    /// <summary>Header values come back from PostgreSQL as JSON: a string or an array of strings.</summary>
    private static string[] Strings(IEvent e, string key)
    {
        if (e.Headers is null || !e.Headers.TryGetValue(key, out var value) || value is null) return [];
        return value switch
        {
            string s => [s],
            string[] a => a,
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(x => x.ToString()).ToArray(),
            JsonElement element => [element.ToString()],
            IEnumerable<object> list => list.Select(x => x?.ToString() ?? "").ToArray(),
            _ => [value.ToString() ?? ""],
        };
    }
}
