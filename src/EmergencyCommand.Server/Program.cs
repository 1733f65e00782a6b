using EmergencyCommand.Server;
using EmergencyCommand.Server.Audit;

if (args is ["review", .. var reviewArgs])
{
    // Offline review tools: build the host for its configuration and store, never start it.
    var connection = reviewArgs.SkipWhile(a => a != "--connection").Skip(1).FirstOrDefault();
    if (connection is not null) Environment.SetEnvironmentVariable("ConnectionStrings__Marten", connection);
    var reviewHost = ServerSetup.Build([]);
    return await ReviewCommandLine.Run(reviewHost, reviewArgs, Console.Out);
}

var app = ServerSetup.Build(args);
return await ServerSetup.RunAsync(app, args);

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
