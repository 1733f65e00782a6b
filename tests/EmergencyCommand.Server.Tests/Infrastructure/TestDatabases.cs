namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>Where tests make their databases: the project's PostgreSQL, as the owner role (ops/test says how to reach it).</summary>
public static class TestDatabases
{
    public static string AdminConnection => Environment.GetEnvironmentVariable("EC_TEST_CONNECTION")
        ?? throw new InvalidOperationException("EC_TEST_CONNECTION is not set: run the tests through ops/test, which starts PostgreSQL and sets it.");

    /// <summary>
    /// Drops a test database and everything connected to it. A server that has just stopped may still be closing
    /// connections (or a pooled one reopening) as the drop starts: PostgreSQL then says so, and the drop is tried again.
    /// </summary>
    public static async Task Drop(string database)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new Npgsql.NpgsqlConnection(AdminConnection);
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand($"drop database if exists {database} with (force)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (Npgsql.PostgresException e) when (attempt < 5)
            {
                Console.Error.WriteLine($"Dropping {database}, attempt {attempt}: {e.SqlState} {e.MessageText}; trying again");
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
            }
        }
    }
}
