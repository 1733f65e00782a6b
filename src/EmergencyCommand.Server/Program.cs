using EmergencyCommand.Server;

var app = ServerSetup.Build(args);
return await ServerSetup.RunAsync(app, args);

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
