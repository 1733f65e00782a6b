using EmergencyCommand.Server.Audit;
using EmergencyCommand.Server.Decisions;
using EmergencyCommand.Server.GreenChannels;
using EmergencyCommand.Server.Incidents;
using EmergencyCommand.Server.ResponseLevels;
using EmergencyCommand.Server.Supplies;
using EmergencyCommand.Server.Situation;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Npgsql;
using Weasel.Core;
using Wolverine.Marten;

namespace EmergencyCommand.Server.Infrastructure;

public static class EventStore
{
    public const string Schema = "emergency";

    /// <summary>How often the daemon looks for events when it has seen none arrive (from another process, say).</summary>
    public static readonly TimeSpan CaughtUpPolling = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The event store's tables and serialisation: schema, JSON, stream identity, event metadata and the document
    /// tables with their indexes. The benchmarks build their own store with exactly this, so neither ever "corrects"
    /// the other's tables.
    /// </summary>
    public static void ConfigureStorage(StoreOptions opts, string connection)
    {
        opts.Connection(connection);
        opts.DatabaseSchemaName = Schema;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            configure: o => o.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb));

        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;

        opts.Schema.For<AuditLink>();
        // A column of its own: finding the snapshot for an instant must not read (detoast) megabytes of state per row.
        opts.Schema.For<SituationSnapshot>().Duplicate(s => s.LastTimestamp);
        opts.Schema.For<DecisionRecord>().Index(d => d.Sequence).Index(d => d.DecidedBy).Index(d => d.DecidedAtUtc);
        opts.Schema.For<IdempotentRequest>();
    }

    /// <summary>The per-stream documents, written in the same transaction as the events.</summary>
    public static void AddInlineProjections(StoreOptions opts)
    {
        opts.Projections.Add<IncidentProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<JurisdictionResponseProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<DepotProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<SupplyRequestProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<GreenChannelProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<ShipmentProjection>(ProjectionLifecycle.Inline);
    }

    /// <summary>
    /// HotCold by default: with several server processes on one database, one runs the daemon and the others stand by.
    /// Disabled exists only for the benchmarks (what the daemon costs).
    /// </summary>
    public static JasperFx.Events.Daemon.DaemonMode DaemonModeOf(IConfiguration config) =>
        config.GetValue("EventStore:DaemonMode", JasperFx.Events.Daemon.DaemonMode.HotCold);

    public static void AddEventStore(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var connection = config.GetConnectionString("Marten")
                         ?? throw new InvalidOperationException("ConnectionStrings:Marten is not set (environment variable ConnectionStrings__Marten).");
        var dataSource = NpgsqlDataSource.Create(connection);
        services.AddSingleton(dataSource);
        var wakeup = new DaemonWakeup();
        services.AddSingleton(wakeup);

        services.AddMarten(opts =>
            {
                ConfigureStorage(opts, connection);
                AddInlineProjections(opts);
                // The daemon wakes when this process commits events (DaemonWakeup), so the live board follows within
                // tens of milliseconds; what another process commits, it finds by polling.
                opts.Events.UseListenNotifyForEventAppends = false;
                opts.Projections.Wakeup = wakeup;
                opts.Listeners.Add(wakeup);
                opts.Projections.SlowPollingTime = CaughtUpPolling;

                opts.Projections.Add(new DecisionLogProjection(), ProjectionLifecycle.Async, "DecisionLog");
                // Audit:Chain=false exists only to measure what the chain costs; production keeps it on.
                if (config.GetValue("Audit:Chain", true))
                    opts.Projections.Add(new AuditChainProjection(dataSource), ProjectionLifecycle.Async, "AuditChain");
                opts.Projections.Add(new SituationSnapshotProjection(), ProjectionLifecycle.Async, "SituationSnapshots");
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonModeOf(config))
            .AddSubscriptionWithServices<SituationSubscription>(ServiceLifetime.Singleton, o => o.Options.SubscribeFromPresent())
            .IntegrateWithWolverine();
    }
}

public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", e);
        }
    }
}
