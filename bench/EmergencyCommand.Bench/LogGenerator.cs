using System.Diagnostics;
using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Supplies;
using JasperFx.Events;
using Marten;
using NodaTime;

namespace EmergencyCommand.Bench;

/// <summary>
/// Grows a realistic event log fast, straight through Marten (not HTTP): incidents that go round the closed loop
/// (report, verify, grade, two tasks dispatched, acknowledged and completed, five sitreps, feedback, and for most a
/// close; about 16 events each) interleaved across many streams, plus a depot with stock receipts every 100
/// incidents. Every event carries the metadata the product writes (user, roles, jurisdictions, decision, correlation).
/// Deadline timers are not scheduled (no Wolverine here), so no task ever turns overdue.
/// </summary>
public sealed class LogGenerator(DocumentStore store)
{
    private const int StreamsPerCommit = 48;
    private long _incidents;

    public long Written { get; private set; }

    /// <summary>Appends until the log holds at least <paramref name="target"/> events, bounded by <paramref name="limit"/>.</summary>
    public async Task<(long Events, double Seconds)> GrowTo(long target, int writers, TimeSpan limit)
    {
        long written = 0;
        var clock = Stopwatch.StartNew();
        var start = Written;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            var slots = Enumerable.Range(0, StreamsPerCommit).Select(i => new Slot(NewIncident(), i % 3)).ToArray();
            while (start + Interlocked.Read(ref written) < target && clock.Elapsed < limit)
                Interlocked.Add(ref written, await Commit(slots));
        }));
        Written = start + written;
        return (written, clock.Elapsed.TotalSeconds);
    }

    private sealed class Slot(Guid id, int phase)
    {
        public Guid Id { get; set; } = id;
        public int Phase { get; set; } = phase;
        public long Number { get; set; }
        public Guid[] Tasks { get; } = [Guid.CreateVersion7(), Guid.CreateVersion7()];
    }

    private Guid NewIncident() => Guid.CreateVersion7();

    private async Task<int> Commit(Slot[] slots)
    {
        await using var session = store.LightweightSession();
        var now = SystemClock.Instance.GetCurrentInstant();
        var count = 0;
        foreach (var slot in slots)
        {
            if (slot.Phase == 0) slot.Number = Interlocked.Increment(ref _incidents);
            count += Append(session, slot, now);
            slot.Phase++;
            if (slot.Phase == 3)
            {
                slot.Id = NewIncident();
                slot.Phase = 0;
                slot.Tasks[0] = Guid.CreateVersion7();
                slot.Tasks[1] = Guid.CreateVersion7();
            }
        }
        await session.SaveChangesAsync();
        return count;
    }

    private static int Append(IDocumentSession session, Slot slot, Instant now)
    {
        var id = slot.Id;
        var n = (int)(slot.Number % 1000);
        var jurisdiction = Events.Districts[n % Events.Districts.Length];
        var commands = new List<(BenchActor Actor, object[] Events)>();
        switch (slot.Phase)
        {
            case 0:
                commands.Add((BenchActor.Reporter, [Events.Reported(id, now, n)]));
                commands.Add((BenchActor.Wuhan, [new IncidentVerified(id, "Confirmed by the district CDC", now)]));
                commands.Add((BenchActor.Wuhan, [new IncidentGraded(id, (Severity)(n % 4), "Cluster of more than 10 cases", now)]));
                commands.Add((BenchActor.Wuhan,
                [
                    new TaskDispatched(id, slot.Tasks[0], "District CDC", "Trace contacts of all cases", now + Duration.FromDays(2), now),
                    new TaskDispatched(id, slot.Tasks[1], "Market administration", "Close and disinfect the market", now + Duration.FromDays(1), now),
                ]));
                break;
            case 1:
                commands.Add((BenchActor.Responder, [new TaskAcknowledged(id, slot.Tasks[0], now)]));
                commands.Add((BenchActor.Responder, [new TaskAcknowledged(id, slot.Tasks[1], now)]));
                commands.Add((BenchActor.Reporter, [Events.Sitrep(id, now, n)]));
                commands.Add((BenchActor.Reporter, [Events.Sitrep(id, now, n + 1)]));
                commands.Add((BenchActor.Reporter, [Events.Sitrep(id, now, n + 2)]));
                commands.Add((BenchActor.Responder, [new TaskCompleted(id, slot.Tasks[0], "All 212 contacts traced and isolated", now)]));
                commands.Add((BenchActor.Responder, [new TaskCompleted(id, slot.Tasks[1], "Market closed and disinfected", now)]));
                break;
            default:
                commands.Add((BenchActor.Reporter, [Events.Sitrep(id, now, n + 3)]));
                commands.Add((BenchActor.Reporter, [Events.Sitrep(id, now, n + 4)]));
                commands.Add((BenchActor.Reporter, [new FeedbackGiven(id, "Residents informed; hotline numbers published", now)]));
                if (n % 10 < 7) commands.Add((BenchActor.Wuhan, [new IncidentClosed(id, "No new cases for 14 days", now)]));
                break;
        }

        var count = 0;
        foreach (var (actor, events) in commands)
        {
            var action = slot.Phase == 0 && count == 0
                ? session.Events.StartStream<Incident>(id, events)
                : session.Events.Append(id, events);
            Stamp(action.Events.Skip(action.Events.Count - events.Length), actor, jurisdiction);
            count += events.Length;
        }

        if (slot.Phase == 0 && slot.Number % 100 == 0)
        {
            var depot = Guid.CreateVersion7();
            object[] stock =
            [
                new DepotRegistered(depot, $"Depot {slot.Number / 100}", "420100", now),
                new StockReceived(depot, "N95 mask", 50_000, "Donation", now),
                new StockReceived(depot, "Protective suit", 8_000, "Central reserve", now),
                new StockReceived(depot, "Ventilator", 40, "Central reserve", now),
            ];
            var action = session.Events.StartStream<Depot>(depot, stock);
            Stamp(action.Events, BenchActor.Logistics, "420100");
            count += stock.Length;
        }
        return count;
    }

    private static void Stamp(IEnumerable<IEvent> events, BenchActor actor, string jurisdiction)
    {
        var decision = Guid.CreateVersion7();
        var correlation = "gen-" + decision.ToString("N")[..16];
        foreach (var e in events) ProductStore.StampAs(e, actor, jurisdiction, decision, correlation);
    }
}
