using EmergencyCommand.Server.Audit;
using EmergencyCommand.Server.Identity;
using EmergencyCommand.Server.Decisions;
using EmergencyCommand.Server.Demo;
using EmergencyCommand.Server.GreenChannels;
using EmergencyCommand.Server.Inbox;
using EmergencyCommand.Server.Incidents;
using EmergencyCommand.Server.Platform;
using EmergencyCommand.Server.ResponseLevels;
using EmergencyCommand.Server.Shipments;
using EmergencyCommand.Server.Situation;
using EmergencyCommand.Server.Supplies;
using EmergencyCommand.Server.Ui;
using JasperFx;
using JasperFx.CodeGeneration;
using NodaTime;
using Npgsql;
using Wolverine;
using Wolverine.Http;

namespace EmergencyCommand.Server;

/// <summary>The composition root: the features this server is made of, on the platform floor.</summary>
public static class ServerSetup
{
    public static IReadOnlyList<IModule> Features =>
    [
        new IdentityModule(),
        new IncidentsModule(),
        new ResponseLevelsModule(),
        new SuppliesModule(),
        new GreenChannelsModule(),
        new ShipmentsModule(),
        new SituationModule(),
        new DecisionsModule(),
        new InboxModule(),
        new AuditModule(),
        new DemoModule(),
        new UiModule(),
    ];

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The console's assets (the component library's, Blazor's) come from the build output too, not only from a publish.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        var config = builder.Configuration;
        // Refused before anything starts, not at the first sign-in.
        if (config.GetValue<bool>("Demo:Enabled") && builder.Environment.IsProduction())
            throw new InvalidOperationException("Demo:Enabled must never be on in Production: the demo users have a published password.");

        SigningKeys.RefusePublishedKeyBeyondLoopback(config.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions(), config,
            builder.Environment.ContentRootPath);
        PassCodeKey.RefusePublishedKeyBeyondLoopback(config, builder.Environment.ContentRootPath);
        var modules = new Modules(Features);
        services.AddSingleton(modules);
        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddScoped<EventStreams>();
        services.Configure<IdempotencyOptions>(config.GetSection("Idempotency"));
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.Customize);
        // Browsers that reached this server over HTTPS keep to HTTPS (localhost included: an operator testing HTTPS sees the header).
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.ExcludedHosts.Clear();
        });
        services.AddOpenApi(o =>
        {
            o.AddSchemaTransformer<NodaTimeSchemas>();
            o.AddOperationTransformer<OpenApiContract>();
            o.AddDocumentTransformer<OpenApiContract>();
        });
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        services.AddWolverineHttp();
        // Wolverine's handler and endpoint code: compiled at run time in Development (edit and run), loaded from the files
        // ops/codegen writes into Internal/Generated everywhere else (Demo, Production, the tests), so the first command
        // after a start is not held up by a compile. GeneratedCodeTests fails while those files differ from what the code generates.
        services.CritterStackDefaults(x =>
        {
            x.Development.GeneratedCodeMode = TypeLoadMode.Dynamic;
            x.Production.GeneratedCodeMode = TypeLoadMode.Static;
        });
        services.AddEventStore(config, modules);
        foreach (var configure in modules.Registered.SelectMany(m => m.ServiceConfiguration)) configure(services, config);

        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(ServerSetup).Assembly;
            opts.Policies.AutoApplyTransactions();
            // Deadline timers are local scheduled messages; durable queues keep them in PostgreSQL.
            opts.Policies.UseDurableLocalQueues();
            opts.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(1);
            // Roslyn, for Development's Dynamic mode (CritterStackDefaults above); Static mode never loads it.
            opts.UseRuntimeCompilation();
        });

        var app = builder.Build();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseProblemMapping();
        app.UseSafeValues();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseBrowserForgeryCheck();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapStaticAssets();
        app.MapOpenApi().AllowAnonymous();
        app.MapHealth();
        app.MapWolverineEndpoints(o =>
        {
            o.RequireAuthorizeOnAll();
            o.AddParameterHandlingStrategy<CommandEdge>();
            // Every route's handler is built before the server listens, not by the first request after a (re)start.
            o.WarmUpRoutes = RouteWarmup.Eager;
        });
        foreach (var map in modules.Registered.SelectMany(m => m.RouteMaps)) map(app);

        app.Lifetime.ApplicationStarted.Register(() => AnnounceStart(app));
        return app;
    }

    public static Task<int> RunAsync(WebApplication app, string[] args) => app.RunJasperFxCommands(args);

    private static void AnnounceStart(WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EmergencyCommand");
        var db = new NpgsqlConnectionStringBuilder(app.Configuration.GetConnectionString("Marten"));
        log.LogInformation("EmergencyCommand listening on {Urls}; event store PostgreSQL {Host}:{Port}/{Database} as {User}; environment {Environment}",
            string.Join(", ", app.Urls), db.Host, db.Port, db.Database, db.Username, app.Environment.EnvironmentName);
    }
}
