using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Server.Audit;
using EmergencyCommand.Server.Decisions;
using EmergencyCommand.Server.GreenChannels;
using EmergencyCommand.Server.Situation;
using EmergencyCommand.Server.Incidents;
using EmergencyCommand.Server.Infrastructure;
using EmergencyCommand.Server.ResponseLevels;
using EmergencyCommand.Server.Supplies;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Weasel.Core;

namespace EmergencyCommand.Bench;

/// <summary>
/// A document store configured by hand like the product's (src/EmergencyCommand.Server/Infrastructure/EventStore.cs):
/// same schema, serializer, stream identity and metadata columns (and, like it, no NOTIFY on append). With
/// <c>inlineProjections</c>, the product's six inline projections too, so a commit also writes the documents the
/// product writes in the same transaction. <c>notify: true</c> adds Marten's NOTIFY per commit, to measure what that wake-up would cost. No async projections and no daemon: the server runs those.
/// </summary>
public static class ProductStore
{
    public static DocumentStore Create(string connection, bool inlineProjections, bool notify = false) =>
        DocumentStore.For(opts =>
        {
            opts.Connection(connection);
            opts.DatabaseSchemaName = EventStore.Schema;
            opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
                configure: o => o.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb));
            opts.Events.StreamIdentity = StreamIdentity.AsGuid;
            opts.Events.MetadataConfig.CorrelationIdEnabled = true;
            opts.Events.MetadataConfig.CausationIdEnabled = true;
            opts.Events.MetadataConfig.HeadersEnabled = true;
            opts.Events.MetadataConfig.UserNameEnabled = true;
            opts.Events.UseListenNotifyForEventAppends = notify;
            // The same document schema as the server, so that neither ever "corrects" the other's tables or indexes.
            opts.Schema.For<AuditLink>();
            opts.Schema.For<SituationSnapshot>().Duplicate(s => s.LastTimestamp);
            opts.Schema.For<DecisionRecord>().Index(d => d.Sequence).Index(d => d.DecidedBy).Index(d => d.DecidedAtUtc);
            opts.Schema.For<IdempotentRequest>();
            if (inlineProjections)
            {
                opts.Projections.Add<IncidentProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<JurisdictionResponseProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<DepotProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<SupplyRequestProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<GreenChannelProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<ShipmentProjection>(ProjectionLifecycle.Inline);
            }
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
