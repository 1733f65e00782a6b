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

        // A refusal is not kept: the retry runs again (and is refused again, for the same reason).
        var dismissKey = Guid.NewGuid().ToString();
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "b" }, h => h.Add("Idempotency-Key", dismissKey))).ShouldBe(HttpStatusCode.Conflict);
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "b" }, h => h.Add("Idempotency-Key", dismissKey))).ShouldBe(HttpStatusCode.Conflict);

        // A key belongs to one request: reusing it for another route, or the same route with another body, is 422.
        (await Wuhan.Post($"/api/incidents/{id}/grade", new { severity = "I", rationale = "x" }, h => h.Add("Idempotency-Key", verifyKey)))
            .ShouldBe(HttpStatusCode.UnprocessableEntity).Json["errors"]!["Idempotency-Key"].Should().NotBeNull();
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "another note" }, h => h.Add("Idempotency-Key", verifyKey)))
            .ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Wuhan.Get($"/api/incidents/{id}/timeline")).Json.AsArray().Should().HaveCount(2, "nothing the reused key carried was recorded");
    }

    [Fact]
    public async Task A_retry_after_a_stale_if_match_runs_again_with_the_corrected_version()
    {
        var id = await Reported();
        var key = Guid.NewGuid().ToString();
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "x" }, h => { h.Add("Idempotency-Key", key); h.IfMatch.Add(new("\"7\"")); }))
            .ShouldBe(HttpStatusCode.PreconditionFailed);
        (await Wuhan.Post($"/api/incidents/{id}/verify", new { note = "x" }, h => { h.Add("Idempotency-Key", key); h.IfMatch.Add(new("\"1\"")); }))
            .ShouldBe(HttpStatusCode.OK, "a 412 was never kept: the retry with the version on screen runs").Version.Should().Be(2);
    }

    [Fact]
    public async Task Twins_sent_at_once_with_one_key_record_once_and_both_get_the_same_answer()
    {
        await Reported(); // a warm server: the twins arrive together, not queued behind the first request's code generation
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Reporter.Post("/api/incidents", NewIncident(title: $"Twin {key}"), h => h.Add("Idempotency-Key", key))));

        answers.Should().OnlyContain(a => a.Status == HttpStatusCode.Created || a.Status == HttpStatusCode.Conflict);
        var created = answers.Where(a => a.Status == HttpStatusCode.Created).ToList();
        created.Should().NotBeEmpty();
        created.Select(a => a.Id).Distinct().Should().ContainSingle();
        var listed = (await Reviewer.Get($"/api/incidents?q={Uri.EscapeDataString(key)}&limit=100")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        listed.Should().ContainSingle($"eight requests with one key are one report (answers: {string.Join(", ", answers.Select(a => $"{(int)a.Status} {a.Headers.GetValueOrDefault("Idempotent-Replayed")} {a.Body[..Math.Min(60, a.Body.Length)]}"))})");
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
