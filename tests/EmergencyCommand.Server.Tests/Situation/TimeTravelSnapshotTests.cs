using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Server.Platform;
using EmergencyCommand.Server.Situation;
using EmergencyCommand.Server.Tests.Infrastructure;
using JasperFx.Events.Projections;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EmergencyCommand.Server.Tests.Situation;

public sealed class TimeTravelSnapshotTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task AsOf_from_a_snapshot_equals_a_fold_of_the_whole_log()
    {
        // Given a log long enough to cross a snapshot boundary (appended straight through Marten): gradings, which the
        // snapshots fold, between sitreps, which they skip (SituationState.Changes), so an asOf folds both after a snapshot.
        var incident = await Verified("420117");
        var store = Fixture.Host.Services.GetRequiredService<IDocumentStore>();
        Severity[] severities = [Severity.IV, Severity.III, Severity.II, Severity.I];
        for (var batch = 0; batch < 11; batch++)
        {
            await using var session = store.LightweightSession();
            var now = SystemClock.Instance.GetCurrentInstant();
            session.Events.Append(incident, Enumerable.Range(0, 500).Select(i => i % 3 == 0
                ? (object)new IncidentGraded(incident, severities[(batch * 500 + i) % 4], "bulk", now)
                : new SitrepFiled(incident, 0, i, 0, batch * 500 + i, "bulk", now)).ToArray());
            await session.SaveChangesAsync();
        }
        var timeline = (await Reviewer.Get($"/api/incidents/{incident}/timeline")).Json.AsArray();
        await Reported("420117");
        await Settled();

        await using (var query = store.QuerySession())
            (await query.Query<SituationSnapshot>().AnyAsync()).Should().BeTrue("the live projection stores a snapshot every 5,000 events");
        var shard = ((DocumentStore)store).Options.Projections.All.OfType<ProjectionBase>().Single(p => p.Name == "SituationSnapshots");
        shard.IncludedEventTypes.Should().Contain([typeof(IncidentReported), typeof(IncidentGraded)], "the daemon fetches the snapshots what changes the situation")
            .And.NotContain([typeof(SitrepFiled), typeof(FeedbackGiven)], "and not what leaves it as it was");

        // When the board is read as of the last bulk event (from the snapshot before it) and as of one in the middle
        // (its scan bounded by the snapshot after it), then each equals the whole log folded from its first event.
        foreach (var cutoff in new[] { timeline[^1]!["at"]!.ToString(), timeline[timeline.Count / 2]!["at"]!.ToString() })
        {
            var viaSnapshot = (await Reviewer.Get($"/api/situation?asOf={Uri.EscapeDataString(cutoff)}")).ShouldBe(HttpStatusCode.OK).Json;
            var at = Instant.FromDateTimeOffset(DateTimeOffset.Parse(cutoff));
            var state = SituationState.Empty;
            await using (var query = store.QuerySession())
            {
                var end = at.ToDateTimeOffset();
                foreach (var e in await query.Events.QueryAllRawEvents().Where(e => e.Timestamp <= end).OrderBy(e => e.Sequence).ToListAsync())
                    state = state.Evolve(e.StreamId, e.Sequence, e.Data);
            }
            var expected = SituationBoard.Of(state, "000000", at);
            var options = new JsonSerializerOptions();
            Json.Configure(options);
            viaSnapshot.ToJsonString().Should().Be(JsonSerializer.Serialize(expected, options), $"asOf {cutoff}");
        }
    }

    [Fact]
    public async Task A_live_board_loaded_from_a_snapshot_learns_an_incident_it_did_not_hold_when_the_incident_changes()
    {
        // Given a verified report without tasks, then enough gradings of another incident (appended straight through
        // Marten) for the daemon to store a snapshot after it: the snapshot counts the report but does not hold it.
        var quiet = await Verified("420119");
        var busy = await Verified("420119");
        var store = Fixture.Host.Services.GetRequiredService<IDocumentStore>();
        for (var batch = 0; batch < 11; batch++)
        {
            await using var session = store.LightweightSession();
            var now = SystemClock.Instance.GetCurrentInstant();
            session.Events.Append(busy, Enumerable.Range(0, 500).Select(i => (object)new IncidentGraded(busy, (Severity)(i % 4), "bulk", now)).ToArray());
            await session.SaveChangesAsync();
        }
        await Settled();
        var hub = new SituationHub(Fixture.Host.Services, Fixture.Host.Services.GetRequiredService<IConfiguration>(), NullLogger<SituationHub>.Instance);
        var loaded = await hub.Current(CancellationToken.None);
        loaded.Partial.Should().BeTrue("a live board starting now reads the latest snapshot");
        loaded.Incidents.Should().NotContainKey(quiet, "the snapshot holds only the incidents with open tasks");

        // When the report is graded, and the board follows the log
        (await Wuhan.Post($"/api/incidents/{quiet}/grade", new { severity = "I", rationale = "spreading" })).ShouldBe(HttpStatusCode.OK);
        await Settled();
        await hub.CatchUp(CancellationToken.None);

        // Then it counts the report as graded, as a fold of the whole log does
        var live = await hub.Current(CancellationToken.None);
        live.Incidents.Should().ContainKey(quiet);
        await using var query = store.QuerySession();
        var whole = (await query.Events.QueryAllRawEvents().Where(e => e.Sequence <= live.Sequence).OrderBy(e => e.Sequence).ToListAsync())
            .Aggregate(SituationState.Empty, (state, e) => state.Evolve(e.StreamId, e.Sequence, e.Data));
        var at = SystemClock.Instance.GetCurrentInstant();
        SituationBoard.Of(live, "420119", at).Should().BeEquivalentTo(SituationBoard.Of(whole, "420119", at));
        SituationBoard.Of(live, "420119", at).Incidents.BySeverity.Should().ContainKey("I");
    }

    [Fact]
    public async Task A_snapshot_stores_the_counts_and_the_incidents_with_open_tasks_without_defaults_and_reads_back_as_stored()
    {
        // Given the demo's situation with a graded incident with an open task in it (its department and instruction
        // blanked on the board) beside incidents without tasks.
        var state = await SituationWithAnOpenTask();

        // When it is stored as a snapshot, then it holds the open incidents' counts and, as a list, only the incidents with
        // open tasks, without nulls, defaults and blanks; it reads back member for member as the partial state it stored.
        var serializer = ((DocumentStore)Fixture.Host.Services.GetRequiredService<IDocumentStore>()).Options.Serializer();
        var stored = serializer.ToJson(new SituationSnapshot { Id = 1, State = state });
        stored.Should().NotContain("\":null").And.NotContain("\"occurredAt\"").And.NotContain("\"feedbackCount\"")
            .And.NotContain("\"title\"").And.NotContain("\"description\"").And.NotContain("\"tasks\":[]")
            .And.NotContain("\"department\"").And.Contain("\"incidents\":[{").And.Contain("\"tasks\":[{")
            .And.Contain("\"openIncidents\":[{").And.Contain("\"partial\":true");
        var read = serializer.FromJson<SituationSnapshot>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored)));
        read.State.Should().BeEquivalentTo(state.ForSnapshot());
        read.State.Incidents.Values.Should().NotContain(i => i.Tasks.IsEmpty).And.HaveCount(state.Incidents.Values.Count(i => !i.Tasks.IsEmpty))
            .And.HaveCountLessThan(state.Incidents.Count);
        read.State.OpenIncidents.Values.Sum().Should().Be(state.Incidents.Count);
        serializer.ToJson(new SituationSnapshot { Id = 1, State = read.State }).Should().Be(stored);
    }

    [Fact]
    public async Task A_snapshot_stored_before_with_every_open_incident_keyed_by_id_and_no_counts_reads_back_counted()
    {
        // Given a snapshot in the earliest form, as Marten's serializer writes the state without SnapshotJson and without
        // the members added since (the counts and Partial): every open incident in an object keyed by id, blank texts
        // and empty task lists written.
        var state = await SituationWithAnOpenTask();
        var serializer = ((DocumentStore)Fixture.Host.Services.GetRequiredService<IDocumentStore>()).Options.Serializer();
        JsonSerializerOptions? marten = null;
        ((SystemTextJsonSerializer)serializer).Configure(o => marten = o);
        var before = new JsonSerializerOptions(marten!)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver
            {
                Modifiers =
                {
                    type =>
                    {
                        if (type.Type != typeof(SituationState)) return;
                        foreach (var added in type.Properties.Where(p => p.Name is "openIncidents" or "partial").ToList()) type.Properties.Remove(added);
                    },
                },
            },
        };
        var earlier = $"{{\"id\":1,\"state\":{JsonSerializer.Serialize(state, before)}}}";
        earlier.Should().Contain("\"title\":\"\"").And.Contain($"\"incidents\":{{\"{state.Incidents.Keys.First()}\":")
            .And.NotContain("openIncidents").And.NotContain("partial");

        // When it is read, then it is the whole situation it was, its open incidents counted.
        var read = serializer.FromJson<SituationSnapshot>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(earlier)));
        read.State.Should().BeEquivalentTo(state);
        read.State.Partial.Should().BeFalse();
    }

    private async Task<SituationState> SituationWithAnOpenTask()
    {
        await Verified("420117");
        var incident = await Verified("420118");
        (await Wuhan.Post($"/api/incidents/{incident}/grade", new { severity = "III", rationale = "spreading" })).ShouldBe(HttpStatusCode.OK);
        (await Wuhan.Post($"/api/incidents/{incident}/tasks", new { department = "District CDC", instruction = "Trace contacts", dueAt = InOneDay }))
            .ShouldBe(HttpStatusCode.Created);
        await Settled();
        // The whole situation, folded from the first event: a snapshot another test stored here would hold only part of it.
        await using var query = Fixture.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var state = (await query.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync())
            .Aggregate(SituationState.Empty, (s, e) => s.Evolve(e.StreamId, e.Sequence, e.Data));
        state.Incidents[incident].Tasks.Should().ContainSingle().Which.Department.Should().BeEmpty("the board's copy blanks it");
        state.Incidents.Values.Should().Contain(i => i.Tasks.IsEmpty);
        return state;
    }
}
