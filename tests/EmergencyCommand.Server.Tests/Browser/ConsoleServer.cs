using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Browser;

/// <summary>One real server process on a fresh database and one Chromium, shared by the console's browser flows.</summary>
public sealed class ConsoleServer : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;
    public Chromium Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // An open console checks its sign-in every two seconds here (thirty by default), so that a flow can wait for it.
        Server = await ServerProcess.StartOnFreshDatabase(new Dictionary<string, string> { ["Auth__ConsoleRecheckSeconds"] = "2" });
        Browser = await Chromium.Launch(Server);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>The API of the same process, as a demo user: what other people do while a page is open.</summary>
    public Task<ProcessApi> As(string user) => Server.As(user);
}
