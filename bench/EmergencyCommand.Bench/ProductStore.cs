using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten;
using NodaTime;

namespace EmergencyCommand.Bench;

/// <summary>
/// A document store with the product's own storage configuration (EventStore.ConfigureStorage: schema, serializer,
/// stream identity, metadata columns, document tables) and, like the product, no NOTIFY on append. With
/// <c>inlineProjections</c>, the product's inline projections too (EventStore.AddInlineProjections), so a commit also
/// writes the documents the product writes in the same transaction. <c>notify: true</c> adds Marten's NOTIFY per
/// commit, to measure what that wake-up would cost. No async projections and no daemon: the server runs those.
/// </summary>
public static class ProductStore
{
    /// <summary>The server's own modules, as its composition root lists them.</summary>
    private static readonly Modules Features = new(EmergencyCommand.Server.ServerSetup.Features);

    /// <summary>The server's async projections, by the names the daemon records their progress under.</summary>
    public static readonly string[] AsyncProjections = ["DecisionLog", EmergencyCommand.Server.Audit.AuditChainProjection.Name, "SituationSnapshots"];

    public static DocumentStore Create(string connection, bool inlineProjections, bool notify = false, Action<StoreOptions>? more = null) =>
        DocumentStore.For(opts =>
        {
            EventStore.ConfigureStorage(opts, connection, Features);
            opts.Events.UseListenNotifyForEventAppends = notify;
            if (inlineProjections) EventStore.AddInlineProjections(opts, Features);
            more?.Invoke(opts);
        });

    /// <summary>The session metadata EventStreams.OpenSession sets for every command.</summary>
    public static void StampAs(IDocumentSession session, BenchActor actor, string jurisdiction)
    {
        session.CorrelationId = "bench-" + Guid.NewGuid().ToString("N")[..16];
        session.LastModifiedBy = actor.UserName;
        session.SetHeader(EventHeaders.Roles, actor.Roles);
        session.SetHeader(EventHeaders.Jurisdictions, actor.Jurisdictions);
        session.SetHeader(EventHeaders.Decision, Guid.CreateVersion7().ToString());
        session.SetHeader(EventHeaders.Jurisdiction, jurisdiction);
    }

    /// <summary>The same metadata on one event, for a session that carries many commands (log generation).</summary>
    public static void StampAs(IEvent e, BenchActor actor, string jurisdiction, Guid decision, string correlation)
    {
        e.CorrelationId = correlation;
        e.UserName = actor.UserName;
        e.SetHeader(EventHeaders.Roles, actor.Roles);
        e.SetHeader(EventHeaders.Jurisdictions, actor.Jurisdictions);
        e.SetHeader(EventHeaders.Decision, decision.ToString());
        e.SetHeader(EventHeaders.Jurisdiction, jurisdiction);
    }
}

public sealed record BenchActor(string UserName, string[] Roles, string[] Jurisdictions)
{
    public static readonly BenchActor Reporter = new("reporter", ["FieldReporter"], ["420100"]);
    public static readonly BenchActor Wuhan = new("wuhan", ["Commander"], ["420100"]);
    public static readonly BenchActor Responder = new("responder", ["Responder"], ["420100"]);
    public static readonly BenchActor Logistics = new("logistics", ["LogisticsCoordinator"], ["000000"]);
}

/// <summary>Product events with realistic content, the same shape the HTTP bench posts.</summary>
public static class Events
{
    public static readonly string[] Districts = ["420102", "420103", "420104", "420105", "420106", "420111", "420112", "420113"];

    public static IncidentReported Reported(Guid id, Instant now, int n = 0) => new(
        id, (IncidentCategory)(n % 4), "Fever cluster at a seafood market", "Several patients with pneumonia of unknown cause",
        Districts[n % Districts.Length], new GeoPoint(30.62 + n % 100 * 0.001, 114.26), now - Duration.FromHours(2), ReportSource.Hospital, now);

    public static SitrepFiled Sitrep(Guid id, Instant now, int n) =>
        new(id, n % 3, 10 + n % 17, n % 2, 200 + n, "Ward 5 full; two more fever clinics opened; contact tracing ongoing", now);
}
