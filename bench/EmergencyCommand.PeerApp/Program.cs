using JasperFx;
using JasperFx.CodeGeneration;
using Marten;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

// The peer the bench measures the product against (http.peer.c16.rps): ASP.NET Core, Marten and Wolverine as their
// documentation sets them up, one endpoint, no auth, no projections, no daemon. Its own schema in the product's database.
//   dotnet EmergencyCommand.PeerApp.dll --urls http://127.0.0.1:PORT   (ConnectionStrings__Marten in the environment)
var builder = WebApplication.CreateBuilder(args);
var connection = builder.Configuration.GetConnectionString("Marten")
                 ?? throw new InvalidOperationException("ConnectionStrings:Marten is not set (environment variable ConnectionStrings__Marten).");

builder.Services.AddMarten(opts =>
    {
        opts.Connection(connection);
        opts.DatabaseSchemaName = "peer";
        opts.UseSystemTextJsonForSerialization();
    })
    .UseLightweightSessions()
    .ApplyAllDatabaseChangesOnStartup()
    .IntegrateWithWolverine();
builder.Services.AddWolverineHttp();
builder.Host.UseWolverine(opts =>
{
    opts.Policies.AutoApplyTransactions();
    // Handler code compiled at start-up and on first use; the bench warms the endpoint up before it measures.
    opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
    opts.UseRuntimeCompilation();
});

var app = builder.Build();
app.MapGet("/health/ready", () => Results.Ok());
app.MapWolverineEndpoints();
return await app.RunJasperFxCommands(args);
