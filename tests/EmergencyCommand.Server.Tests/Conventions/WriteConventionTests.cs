using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

public sealed class WriteConventionTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_first_answer_and_appends_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var first = (await Reporter.Post("/api/incidents", NewIncident(), h => h.Add("Idempotency-Key", key))).ShouldBe(HttpStatusCode.Created);
        var retry = (await Reporter.Post("/api/incidents", NewIncident(), h => h.Add("Idempotency-Key", key))).ShouldBe(HttpStatusCode.Created);

        retry.Body.Should().Be(first.Body);
        retry.Location.Should().Be(first.Location);
        var sameTitle = (await Reviewer.Get("/api/incidents")).Json.AsArray().Count(i => i!["id"]!.ToString() == first.Id.ToString());
        sameTitle.Should().Be(1);

        var id = first.Id;
        var verifyKey = Guid.NewGuid().ToString();
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "a" }, h => h.Add("Idempotency-Key", verifyKey))).ShouldBe(HttpStatusCode.OK);
        var again = (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "a" }, h => h.Add("Idempotency-Key", verifyKey)));
        again.ShouldBe(HttpStatusCode.OK).Version.Should().Be(2);
        (await Wuhan.Get($"/api/incidents/{id}/timeline")).Json.AsArray().Should().HaveCount(2);

        // A rejected first answer is the answer too: the retry does not run again.
        var dismissKey = Guid.NewGuid().ToString();
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "b" }, h => h.Add("Idempotency-Key", dismissKey))).ShouldBe(HttpStatusCode.Conflict);
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "b" }, h => h.Add("Idempotency-Key", dismissKey))).ShouldBe(HttpStatusCode.Conflict);

        // A key belongs to one request: reusing it elsewhere is a client error, not a silent replay.
        (await Wuhan.Post($"/api/incidents/{id}/grade", new { severity = "I", rationale = "x" }, h => h.Add("Idempotency-Key", verifyKey)))
            .ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task If_match_with_a_stale_version_is_412_and_appends_nothing()
    {
        var id = await Reported();
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "x" }, h => h.IfMatch.Add(new("\"7\""))))
            .ShouldBe(HttpStatusCode.PreconditionFailed);
        (await Wuhan.Get($"/api/incidents/{id}")).Json["version"]!.GetValue<long>().Should().Be(1);

        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "x" }, h => h.IfMatch.Add(new("\"1\""))))
            .ShouldBe(HttpStatusCode.OK).Version.Should().Be(2);
        (await Wuhan.Post($"/api/incidents/{id}/grade", new { severity = "I", rationale = "x" }, h => h.TryAddWithoutValidation("If-Match", "banana")))
            .ShouldBe(HttpStatusCode.BadRequest).Body.Should().Contain("If-Match");

        // A write that changes two streams checks the one its route names (a merge: the duplicate).
        var survivor = await Verified();
        (await Hubei.Post($"/api/incidents/{id}/merge", new { intoIncidentId = survivor, rationale = "x" }, h => h.IfMatch.Add(new("\"1\""))))
            .ShouldBe(HttpStatusCode.PreconditionFailed);
        (await Wuhan.Get($"/api/incidents/{id}")).Json["status"]!.ToString().Should().Be("Verified");
        (await Hubei.Post($"/api/incidents/{id}/merge", new { intoIncidentId = survivor, rationale = "x" }, h => h.IfMatch.Add(new("\"2\""))))
            .ShouldBe(HttpStatusCode.OK).Version.Should().Be(3);
    }

    [Fact]
    public async Task Concurrent_writers_on_one_stream_never_lose_an_event()
    {
        var id = await Verified();
        const int writers = 24;
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            Reporter.Post($"/api/incidents/{id}/sitreps", new { dead = 0, injured = i, missing = 0, affected = i, note = $"report {i}" })));

        results.Should().OnlyContain(r => r.Status == HttpStatusCode.OK, because: string.Join("\n", results.Select(r => r.ToString())));
        results.Select(r => r.Version).Should().OnlyHaveUniqueItems();

        var timeline = (await Wuhan.Get($"/api/incidents/{id}/timeline")).Json.AsArray();
        timeline.Count(e => e!["type"]!.ToString() == "SitrepFiled").Should().Be(writers);
        timeline.Select(e => e!["version"]!.GetValue<long>()).Should().Equal(Enumerable.Range(1, writers + 2).Select(v => (long)v));
    }
}
