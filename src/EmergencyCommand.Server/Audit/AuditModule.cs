using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// Evidence for reviewers: the tamper-evident chain over every event, signed anchors, the replay of the log, and
/// post-incident review reports (also offline, through <c>ops/ec</c>).
/// </summary>
public sealed class AuditModule : IModule
{
    public void Register(ModuleBuilder module) => module
        .Describe("Evidence for reviewers: the tamper-evident chain, signed anchors, the replay of the log and post-incident review reports.")
        .Storage(store =>
        {
            store.Schema.For<AuditBlock>();
            store.Schema.For<AuditLink>(); // links stored one per event before blocks: still read, never written
        })
        .Daemon((services, store) =>
        {
            // Off only to measure what the chain costs; production keeps it on.
            if (services.GetRequiredService<IOptions<AuditOptions>>().Value.Chain)
                store.AddAsync(new AuditChainProjection(services.GetRequiredService<NpgsqlDataSource>()), AuditChainProjection.Name);
        })
        .Services((services, config) =>
        {
            services.Configure<AuditOptions>(config.GetSection("Audit"));
            services.AddSingleton<AnchorSigner>();
            services.AddSingleton<AuditEvidence>();
            services.AddSingleton<AnchorThrottle>();
            services.AddHttpClient(AnchorWitness.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
            services.AddSingleton<AnchorWitness>();
            // First of all hosted services: refused before the schema is touched or any daemon or agent starts.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ChainSwitchGuard>());
            services.AddHostedService(sp => sp.GetRequiredService<AnchorWitness>());
            services.AddSingleton<ReviewReporter>();
        });
}
