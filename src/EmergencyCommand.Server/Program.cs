using EmergencyCommand.Server;
using EmergencyCommand.Server.Audit;

if (args is ["review", .. var reviewArgs])
{
    // Offline review tools: build the host for its configuration and store, never start it.
    var connection = reviewArgs.SkipWhile(a => a != "--connection").Skip(1).FirstOrDefault();
    if (connection is not null) Environment.SetEnvironmentVariable("ConnectionStrings__Marten", connection);
    var reviewHost = ServerSetup.Build([]);
    return await ReviewCommandLine.Run(reviewHost.Services, reviewArgs, Console.Out);
}

if (args is ["hash-password"])
{
    // For users given in configuration (Auth:Users): the hash of a password read from standard input.
    var password = await Console.In.ReadLineAsync();
    if (string.IsNullOrEmpty(password))
    {
        await Console.Error.WriteLineAsync("hash-password reads the password from standard input: echo 'the password' | ops/ec hash-password");
        return 1;
    }
    Console.WriteLine(new EmergencyCommand.Server.Identity.Passwords(Microsoft.Extensions.Options.Options.Create(
        new EmergencyCommand.Server.Identity.AuthOptions())).Hash(password));
    return 0;
}

var app = ServerSetup.Build(args);
return await ServerSetup.RunAsync(app, args);

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
