namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>Where tests make their databases: the project's PostgreSQL, as the owner role (ops/test says how to reach it).</summary>
public static class TestDatabases
{
    public static string AdminConnection => Environment.GetEnvironmentVariable("EC_TEST_CONNECTION")
        ?? throw new InvalidOperationException("EC_TEST_CONNECTION is not set: run the tests through ops/test, which starts PostgreSQL and sets it.");
}
