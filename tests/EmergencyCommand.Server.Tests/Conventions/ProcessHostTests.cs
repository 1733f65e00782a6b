using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>What only a real server process can show: readiness that follows PostgreSQL, and a refused unsafe start.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class ProcessHostTests
{
    [Fact]
    public async Task Ready_turns_503_when_postgres_stops_answering_while_live_stays_200()
    {
        await using var server = await ServerProcess.StartOnFreshDatabase();
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        (await http.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The server's database disappears (its connections are cut), as when PostgreSQL goes away.
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database {server.Database} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var ready = await http.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).Should().Be("Unhealthy");
        (await http.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Demo_users_are_refused_in_production_before_the_server_listens()
    {
        var start = () => ServerProcess.StartOnFreshDatabase(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__SigningKey"] = "a production signing key of at least thirty-two bytes",
            ["Demo__Enabled"] = "true",
        });
        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain("Demo:Enabled must never be on in Production");
    }
}
