using System.Net;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>
/// A test class over HTTP against the real server on its own PostgreSQL database: each class gets a fresh server and
/// database (its fixture), so a test that fails half way can leave nothing behind for another class to trip over.
/// </summary>
public abstract class ServerTest(AppFixture fixture) : ServerTest<AppFixture>(fixture);

/// <summary>A test class whose server runs with a fixture of its own (other settings).</summary>
public abstract class ServerTest<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : AppFixture
{
    protected TFixture Fixture { get; } = fixture;

    protected Api As(string user) => new(Fixture, user);
    protected Api Anonymous => new(Fixture, null);

    protected Api Wuhan => As("wuhan");
    protected Api Hubei => As("hubei");
    protected Api Guangdong => As("guangdong");
    protected Api National => As("national");
    protected Api Reporter => As("reporter");
    protected Api Responder => As("responder");
    protected Api Reviewer => As("reviewer");
    protected Api Logistics => As("logistics");

    protected static object NewIncident(string jurisdiction = "420102", string title = "Fever cluster at a seafood market",
        string category = "PublicHealth") => new
    {
        category,
        title,
        description = "Several patients with pneumonia of unknown cause",
        jurisdiction,
        location = new { latitude = 30.62, longitude = 114.26 },
        occurredAt = "2020-01-20T08:00:00Z",
        source = "Hospital",
    };

    protected async Task<Guid> Reported(string jurisdiction = "420102", string category = "PublicHealth") =>
        (await (jurisdiction.StartsWith("4201") ? Reporter : National).Post("/api/incidents", NewIncident(jurisdiction, category: category))).ShouldBe(HttpStatusCode.Created).Id;

    protected async Task<Guid> Verified(string jurisdiction = "420102", string category = "PublicHealth")
    {
        var id = await Reported(jurisdiction, category);
        (await (jurisdiction.StartsWith("4201") ? Wuhan : National).Post($"/api/incidents/{id}/verify", new { note = "confirmed by the district CDC" })).ShouldBe(HttpStatusCode.OK);
        return id;
    }

    /// <summary>Waits until the async daemon (decision log, live situation) has read everything committed so far.</summary>
    protected Task Settled() => Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(Fixture.Host, TimeSpan.FromSeconds(30));

    /// <summary>Runs <paramref name="each"/> for 0 … count−1, eight at a time: many facts recorded quickly, as several clients would.</summary>
    protected static async Task InParallel(int count, Func<int, Task> each)
    {
        using var turns = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await turns.WaitAsync();
            try
            {
                await each(i);
            }
            finally
            {
                turns.Release();
            }
        }));
    }

    protected static string InOneDay => DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
}
