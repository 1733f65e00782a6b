using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Npgsql;
using Weasel.Core;
using Wolverine.Marten;

namespace EmergencyCommand.Server.Platform;

public static class EventStore
{
    public const string Schema = "emergency";

    /// <summary>How often the daemon looks for events when it has seen none arrive (from another process, say).</summary>
    public static readonly TimeSpan CaughtUpPolling = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The event store's tables and serialisation: schema, JSON, stream identity, event metadata, every module's facts
    /// and documents. The benchmarks build their own store with exactly this, so neither ever "corrects" the other's tables.
    /// </summary>
    public static void ConfigureStorage(StoreOptions opts, string connection, Modules modules)
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
        // Known up front, so that every fact reads back as its type whatever namespace it has moved to (by its alias).
        opts.Events.AddEventTypes(modules.EventTypes);

        opts.Schema.For<IdempotentRequest>();
        foreach (var configure in modules.Registered.SelectMany(m => m.StorageConfiguration)) configure(opts);
    }

    /// <summary>The per-stream documents, written in the same transaction as the events.</summary>
    public static void AddInlineProjections(StoreOptions opts, Modules modules)
    {
        foreach (var configure in modules.Registered.SelectMany(m => m.InlineProjections)) configure(opts);
    }

    /// <summary>
    /// HotCold by default: with several server processes on one database, one runs the daemon and the others stand by.
    /// Disabled exists only for the benchmarks (what the daemon costs).
    /// </summary>
    public static DaemonMode DaemonModeOf(IConfiguration config) => config.GetValue("EventStore:DaemonMode", DaemonMode.HotCold);

    /// <summary>
    /// How many events a projection takes in one page at most when the daemon runs it (an async one always, an inline one
    /// in a rebuild). Each page is one fetch and one transaction, so a backlog (a restart, a rebuild) goes faster in large
    /// pages; at the head a page holds only what has just arrived.
    /// </summary>
    public const int DaemonBatchSize = 2_000;

    /// <summary>
    /// Pages of <see cref="DaemonBatchSize"/>; a per-stream projection keeps the documents one page touched in memory for
    /// the next (a stream's events straddle pages) instead of loading them again. Other projections have no such cache.
    /// </summary>
    public static void Paged(AsyncOptions options)
    {
        options.BatchSize = DaemonBatchSize;
        options.CacheLimitPerTenant = 1_000;
    }

    /// <summary>The one way a module adds a projection the async daemon runs.</summary>
    public static void AddAsync(this StoreOptions store, Marten.Events.Projections.IProjection projection, string name) =>
        store.Projections.Add(projection, ProjectionLifecycle.Async, name, Paged);

    public static void AddEventStore(this IServiceCollection services, IConfiguration config, Modules modules)
    {
        var connection = config.GetConnectionString("Marten")
                         ?? throw new InvalidOperationException("ConnectionStrings:Marten is not set (environment variable ConnectionStrings__Marten).");
        services.AddSingleton(NpgsqlDataSource.Create(connection));
        var wakeup = new DaemonWakeup();
        services.AddSingleton(wakeup);

        var marten = services.AddMarten(opts =>
            {
                ConfigureStorage(opts, connection, modules);
                AddInlineProjections(opts, modules);
                // The daemon wakes when this process commits events (DaemonWakeup), so the live board follows within
                // tens of milliseconds; what another process commits, it finds by polling.
                opts.Events.UseListenNotifyForEventAppends = false;
                opts.Projections.Wakeup = wakeup;
                opts.Listeners.Add(wakeup);
                opts.Projections.SlowPollingTime = CaughtUpPolling;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonModeOf(config));
        services.ConfigureMarten((sp, opts) =>
        {
            foreach (var configure in modules.Registered.SelectMany(m => m.DaemonConfiguration)) configure(sp, opts);
        });
        foreach (var configure in modules.Registered.SelectMany(m => m.MartenConfiguration)) configure(marten);
        marten.IntegrateWithWolverine();
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
