using System.Net;
using System.Net.Http.Json;
using EmergencyCommand.Server.Tests.Infrastructure;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Identity;

/// <summary>
/// The database trusts nobody: a password for every login, and the server's own role may append events but never
/// rewrite or erase them, nor change the schema. Set up exactly as ops/run does it: schema as the owner, then the grants.
/// </summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class DatabaseRoleTests : IAsyncLifetime
{
    private readonly string _database = $"ec_roles_{Guid.NewGuid():N}"[..24];
    private string Owner => new NpgsqlConnectionStringBuilder(TestDatabases.AdminConnection) { Database = _database }.ConnectionString;
    private string App => new NpgsqlConnectionStringBuilder(Owner) { Username = "emergency", Password = "emergency" }.ConnectionString;

    private static string Repository
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EmergencyCommand.sln"))) dir = dir.Parent;
            return dir!.FullName;
        }
    }

    public async Task InitializeAsync()
    {
        await Sql(TestDatabases.AdminConnection, $"create database {_database}");
        // The server's own `resources setup`, as the owner role, as ops/lib/common.sh runs it.
        var (exitCode, output) = await ServerProcess.Command(Owner, TimeSpan.FromMinutes(2), "resources", "setup");
        exitCode.Should().Be(0, output);
        await Sql(Owner, await File.ReadAllTextAsync(Path.Combine(Repository, "ops", "lib", "app-role.sql")));
    }

    public Task DisposeAsync() => TestDatabases.Drop(_database);

    private static async Task Sql(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_set_up_creates_every_table_the_app_role_writes_since_it_may_create_none()
    {
        await using var db = new NpgsqlConnection(Owner);
        await db.OpenAsync();
        await using var tables = new NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = 'emergency' and table_name like 'mt_doc_%'", db);
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));

        // The documents written by the projections of our own (Marten learns of the others from their registration).
        names.Should().Contain(["mt_doc_passadmission", "mt_doc_auditblock", "mt_doc_auditlink", "mt_doc_decisionrecord", "mt_doc_situationsnapshot"]);
    }

    [Fact]
    public async Task The_server_runs_as_the_app_role_which_appends_events_but_cannot_change_or_erase_them_nor_the_schema()
    {
        await using (var server = await ServerProcess.StartOn(_database, App))
        {
            using var http = await server.SignedIn("wuhan");
            var reported = await http.PostAsJsonAsync("/api/incidents", new
            {
                category = "PublicHealth", title = "Cluster", description = "", jurisdiction = "420102",
                location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hospital",
            });
            reported.StatusCode.Should().Be(HttpStatusCode.Created, await reported.Content.ReadAsStringAsync());
        }

        foreach (var (sql, what) in new[]
                 {
                     ("update emergency.mt_events set data = '{}'", "rewrite an event"),
                     ("delete from emergency.mt_events", "erase events"),
                     ("truncate emergency.mt_events", "truncate the log"),
                     ("create table emergency.mt_doc_intruder (id int)", "create a table"),
                     ("alter table emergency.mt_events add column note text", "change the event table"),
                     ("drop table emergency.mt_doc_auditblock", "drop the audit chain"),
                 })
        {
            var refused = async () => await Sql(App, sql);
            (await refused.Should().ThrowAsync<PostgresException>(what)).Which.SqlState.Should().BeOneOf(["42501", "42P01"], what);
        }

        await using var db = new NpgsqlConnection(App);
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from emergency.mt_events where type = 'incident_reported'", db);
        ((long)(await count.ExecuteScalarAsync())!).Should().Be(1, "the app role reads the log it appended to");
    }

    [Fact]
    public async Task Every_login_over_tcp_needs_its_password()
    {
        var wrong = new NpgsqlConnectionStringBuilder(Owner) { Password = "not the password" }.ConnectionString;
        (await ((Func<Task>)(() => Sql(wrong, "select 1"))).Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("28P01");
        var superuser = new NpgsqlConnectionStringBuilder(Owner) { Username = "postgres", Password = "" }.ConnectionString;
        await ((Func<Task>)(() => Sql(superuser, "select 1"))).Should().ThrowAsync<Exception>("the superuser logs in only as the postgres OS user, on the socket");
    }
}
