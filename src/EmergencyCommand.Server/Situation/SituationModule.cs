using EmergencyCommand.Server.Platform;
using Marten;

namespace EmergencyCommand.Server.Situation;

/// <summary>
/// The cockpit's picture: the live board held once per process and fed by the daemon, its snapshots every
/// <see cref="SituationReader.SnapshotEvery"/> events, and the board as of any instant.
/// </summary>
public sealed class SituationModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Describe("The situation board of a jurisdiction, live (Server-Sent Events) or as of any instant.")
        .Storage(store =>
            // A column of its own: finding the snapshot for an instant must not read (detoast) megabytes of state per row.
            store.Schema.For<SituationSnapshot>().Duplicate(s => s.LastTimestamp))
        .Daemon((services, store) => store.AddAsync(new SituationSnapshotProjection(services.GetRequiredService<Modules>().EventTypes), "SituationSnapshots"))
        .Marten(marten => marten.AddSubscriptionWithServices<SituationSubscription>(ServiceLifetime.Singleton, o => o.Options.SubscribeFromPresent()))
        .Services((services, _) =>
        {
            services.AddSingleton<SituationReader>();
            services.AddSingleton<SituationHub>();
            services.AddHostedService<SituationCatchUp>();
            services.AddHostedService<LevelTakesEffect>();
        })
        .Routes(routes => routes.MapLiveSituation());
}
