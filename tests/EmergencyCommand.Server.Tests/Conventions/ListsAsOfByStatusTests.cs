using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>Test classes that load the machine for seconds (a thousand reports): run alone, not beside a process whose daemon is timed.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyCollection
{
    public const string Name = "Heavy";
}

/// <summary>A list filtered by a status as of an instant weighs everything that existed then, not the newest thousand.</summary>
[Collection(HeavyCollection.Name)]
public sealed class ListsAsOfByStatusTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task An_incident_reported_before_a_thousand_others_is_still_listed_by_its_status_then()
    {
        // Given one report, then a thousand more in the same district, all still reported at `then`
        var first = await Reported("420115");
        await InParallel(1000, async i =>
            (await Reporter.Post("/api/incidents", NewIncident("420115", $"Fever case {i}"))).ShouldBe(HttpStatusCode.Created));
        await Task.Delay(50);
        var then = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        await Task.Delay(50);

        // When the first is verified afterwards
        (await Wuhan.Post($"/api/incidents/{first}/verify", new { note = "confirmed" })).ShouldBe(HttpStatusCode.OK);

        // Then, as of then, all 1,001 were reported, and the oldest of them is the last of the list
        var oldest = await Reviewer.Get($"/api/incidents?status=Reported&jurisdiction=420115&asOf={then}&offset=1000&limit=10");
        oldest.ShouldBe(HttpStatusCode.OK).Headers["X-Total-Count"].Should().Be("1001");
        oldest.Json.AsArray().Select(i => i!["id"]!.ToString()).Should().Equal(first.ToString());
        (await Reviewer.Get($"/api/incidents?status=Reported&jurisdiction=420115")).Headers["X-Total-Count"].Should().Be("1000");
    }
}
