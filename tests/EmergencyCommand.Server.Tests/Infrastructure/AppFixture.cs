using Alba;
using EmergencyCommand.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>
/// One real server per test class, on its own freshly created PostgreSQL database that is dropped
/// afterwards, so classes and runs never see each other's data. ops/test provides the cluster.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    private static string AdminConnection => TestDatabases.AdminConnection;

    private readonly string _database = $"ec_test_{Guid.NewGuid():N}"[..24];

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>Configuration this fixture's server runs with beyond the demo's (a fixture of its own overrides it).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();
    public string ConnectionString { get; private set; } = "";
    public Tokens Tokens { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Admin($"create database {_database}");
        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnection)
        {
            Database = _database,
            // Test data is throw-away: do not wait for the disk on every commit.
            Options = "-c synchronous_commit=off",
        }.ConnectionString;

        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Demo");
            builder.UseSetting("ConnectionStrings:Marten", ConnectionString);
            builder.UseSetting("EventStore:DaemonMode", "Solo");
            foreach (var (key, value) in Settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        });
        Tokens = new Tokens(Host);
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        await TestDatabases.Drop(_database);
    }

    private static async Task Admin(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
