using System.Text.Json.Serialization;
using EmergencyCommand.Server.Auth;
using EmergencyCommand.Server.Infrastructure;
using EmergencyCommand.Server.Situation;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Npgsql;
using Wolverine;
using Wolverine.Http;

namespace EmergencyCommand.Server;

public static class ServerSetup
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var services = builder.Services;

        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddHttpContextAccessor();
        services.AddScoped<EventStreams>();
        services.AddSingleton<Situation.SituationReader>();
        services.AddSingleton<Situation.SituationHub>();
        services.AddHostedService<Situation.SituationCatchUp>();
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.Customize);

        AddAuthentication(builder);
        services.AddEventStore(builder.Configuration, builder.Environment);
        services.AddOpenApi(o => o.AddSchemaTransformer<NodaTimeSchemas>());
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        services.AddWolverineHttp();
        services.Configure<Audit.AuditOptions>(builder.Configuration.GetSection("Audit"));
        services.Configure<Demo.DemoScenarioOptions>(builder.Configuration.GetSection("Demo"));
        services.AddHostedService<Demo.DemoScenario>();

        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(ServerSetup).Assembly;
            opts.Policies.AutoApplyTransactions();
            // Deadline timers are local scheduled messages; durable queues keep them in PostgreSQL.
            opts.Policies.UseDurableLocalQueues();
            opts.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(1);
            opts.UseRuntimeCompilation();
            // Generated handler code is compiled at start-up, never written to disk, so it can never go stale.
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
        });

        var app = builder.Build();
        app.UseProblemMapping();
        app.UseDefaultFiles();
        var contentTypes = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
        contentTypes.Mappings[".geojson"] = "application/geo+json";
        app.UseStaticFiles(new StaticFileOptions { ContentTypeProvider = contentTypes });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi().AllowAnonymous();
        app.MapHealth();
        app.MapWolverineEndpoints(o => o.RequireAuthorizeOnAll());
        app.MapLiveSituation();

        app.Lifetime.ApplicationStarted.Register(() => AnnounceStart(app));
        return app;
    }

    public static Task<int> RunAsync(WebApplication app, string[] args) => app.RunJasperFxCommands(args);

    private static void AddAuthentication(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.Configure<AuthOptions>(config.GetSection("Auth"));
        builder.Services.Configure<DemoOptions>(config.GetSection("Demo"));
        // Refused before anything starts, not at the first sign-in.
        if (config.GetValue<bool>("Demo:Enabled") && builder.Environment.IsProduction())
            throw new InvalidOperationException("Demo:Enabled must never be on in Production: the demo users have a published password.");
        builder.Services.AddSingleton(sp =>
        {
            var auth = sp.GetRequiredService<IOptions<AuthOptions>>().Value;
            var demo = sp.GetRequiredService<IOptions<DemoOptions>>().Value;
            return new UserDirectory(demo.Enabled ? auth.Users.Concat(demo.Users) : auth.Users);
        });

        var auth = config.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        if (System.Text.Encoding.UTF8.GetByteCount(auth.SigningKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be set to at least 32 bytes (environment variable Auth__SigningKey).");

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = auth.Issuer,
                ValidAudience = auth.Issuer,
                IssuerSigningKey = SignInEndpoint.SigningKey(auth),
                NameClaimType = ActorClaims.Name,
                RoleClaimType = ActorClaims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            // A browser's EventSource cannot send headers: the live stream alone takes the token from the query.
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = c =>
                {
                    if (c.Request.Path.StartsWithSegments("/api/situation/live") && c.Request.Query["access_token"].FirstOrDefault() is { Length: > 0 } token)
                        c.Token = token;
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization();
    }

    private static void AnnounceStart(WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EmergencyCommand");
        var db = new NpgsqlConnectionStringBuilder(app.Configuration.GetConnectionString("Marten"));
        var users = app.Services.GetRequiredService<UserDirectory>();
        log.LogInformation("EmergencyCommand listening on {Urls}; event store PostgreSQL {Host}:{Port}/{Database} as {User}; {Users} users configured; environment {Environment}",
            string.Join(", ", app.Urls), db.Host, db.Port, db.Database, db.Username, users.Count, app.Environment.EnvironmentName);
    }
}

public static class Json
{
    public static void Configure(System.Text.Json.JsonSerializerOptions options)
    {
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.Converters.Insert(0, new LenientInstantConverter());
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }
}
