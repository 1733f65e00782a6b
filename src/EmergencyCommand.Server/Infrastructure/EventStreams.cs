using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Auth;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events;
using NodaTime;
using Wolverine;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace EmergencyCommand.Server.Infrastructure;

/// <summary>What a write answers: the stream and its version after the write.</summary>
public sealed record Written(Guid Id, long Version);

/// <summary>
/// The one way commands reach the event store: check who may act, load the stream for writing,
/// run the pure decision, append its events with the actor's metadata, and commit. Concurrent writers
/// to one stream take turns on the stream's row lock, and a writer that still loses a race re-reads and
/// decides again (bounded); a writer that sent <c>If-Match</c> gets 412 instead, because it asked to
/// act only on the version it saw.
/// </summary>
public sealed class EventStreams(OutboxedSessionFactory outbox, IWolverineRuntime wolverine, IHttpContextAccessor http, IClock clock,
    ILogger<EventStreams> log)
{
    private Actor? _actingAs;

    private const int MaxAttempts = 5;

    public Instant Now => clock.GetCurrentInstant();

    /// <summary>Identifies this request's command in the decision log; the events it appends carry it.</summary>
    public Guid DecisionId { get; } = Guid.CreateVersion7();

    public Actor Actor => _actingAs ?? http.HttpContext?.User.ToActor()
                          ?? throw new ProblemException(401, "Unauthorized", "Sign in first: POST /api/auth/token.");

    /// <summary>For work the server does by itself (a deadline passing): its events name the "system" actor.</summary>
    public EventStreams AsServer()
    {
        _actingAs = Actor.Server;
        return this;
    }

    /// <summary>Throws 403 unless the actor may act with one of <paramref name="allowed"/> over <paramref name="jurisdiction"/>.</summary>
    public Actor Demand(IReadOnlyCollection<Role> allowed, string? jurisdiction = null)
    {
        var actor = Actor;
        return Access.Refusal(actor, allowed, jurisdiction) is { } refusal ? throw ProblemException.Forbidden(refusal) : actor;
    }

    /// <summary>Starts a new stream with events that need no prior state.</summary>
    public async Task<Written> Start<TState>(Guid id, string jurisdiction, IReadOnlyCollection<Role> allowed,
        IReadOnlyList<object> events, CancellationToken ct) where TState : class
    {
        var actor = Demand(allowed, jurisdiction);
        var (session, messages) = OpenSession(actor, jurisdiction, id);
        await using var _ = session;
        session.Events.StartStream<TState>(id, events);
        await ScheduleTimers(messages, events);
        await session.SaveChangesAsync(ct);
        return new Written(id, events.Count);
    }

    /// <summary>Decides on an existing stream (404 when there is none); its own jurisdiction bounds who may act.</summary>
    public Task<Written> Append<TState>(Guid id, IReadOnlyCollection<Role> allowed,
        Func<TState, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional =>
        Write<TState>(id, allowed, null, (state, now) =>
            decide(state ?? throw ProblemException.NotFound($"{typeof(TState).Name} {id}"), now), ct);

    /// <summary>Decides on a stream that may not exist yet, such as a jurisdiction's response level.</summary>
    public Task<Written> Decide<TState>(Guid id, string jurisdiction, IReadOnlyCollection<Role> allowed,
        Func<TState?, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional =>
        Write(id, allowed, jurisdiction, decide, ct);

    private async Task<Written> Write<TState>(Guid id, IReadOnlyCollection<Role> allowed, string? jurisdiction,
        Func<TState?, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional
    {
        var actor = Demand(allowed, jurisdiction);
        var expected = ExpectedVersion();
        for (var attempt = 1; ; attempt++)
        {
            var (session, messages) = OpenSession(actor, jurisdiction, id);
            await using var _ = session;
            // Without If-Match, writers to one stream queue on its row lock instead of failing each other;
            // with If-Match, the optimistic check is the point and a lost race is a 412.
            var stream = expected is null
                ? await session.Events.FetchForExclusiveWriting<TState>(id, ct)
                : await session.Events.FetchForWriting<TState>(id, ct);
            var version = stream.CurrentVersion ?? 0;
            if (stream.Aggregate is { } existing)
            {
                if (Access.Refusal(actor, allowed, existing.Jurisdiction) is { } refusal) throw ProblemException.Forbidden(refusal);
                if (jurisdiction is null) session.SetHeader(EventHeaders.Jurisdiction, existing.Jurisdiction);
            }
            if (expected is not null && expected != version) throw ProblemException.StaleVersion(expected.Value, version);

            var decision = decide(stream.Aggregate, Now);
            if (decision.Violation is { } violation) throw ProblemException.Refused(violation);

            stream.AppendMany(decision.Events);
            await ScheduleTimers(messages, decision.Events);
            try
            {
                await session.SaveChangesAsync(ct);
                return new Written(id, version + decision.Events.Count);
            }
            catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException)
            {
                if (expected is not null) throw ProblemException.StaleVersion(expected.Value, version);
                if (attempt == MaxAttempts) throw;
                log.LogInformation("Stream {StreamId} changed under attempt {Attempt}; deciding again", id, attempt);
            }
        }
    }

    /// <summary>
    /// Decides on several streams at once (an allocation changes a depot and a request; a delivery, the
    /// shipment, the depot and the request). <paramref name="work"/> locks what it reads through the
    /// <see cref="StreamTransaction"/>, which takes the row locks in ascending id order so that two
    /// transactions can never deadlock, and everything it appends commits together or not at all.
    /// </summary>
    /// <param name="subject">
    /// The existing stream the command is about (the one its route names): its jurisdiction is the decision's, and a
    /// sent <c>If-Match</c> is checked against its version. Null for a command that only records (a checkpoint check).
    /// </param>
    public async Task<T> Transact<T>(Guid? subject, IReadOnlyCollection<Role> allowed, Func<StreamTransaction, Task<T>> work, CancellationToken ct)
    {
        var actor = Demand(allowed);
        var expected = subject is null ? null : ExpectedVersion();
        for (var attempt = 1; ; attempt++)
        {
            var (session, messages) = OpenSession(actor, null, subject);
            await using var _ = session;
            // A retry after a lost race locks again and so checks If-Match again: a changed subject is then a 412.
            var transaction = new StreamTransaction(session, actor, allowed, Now, subject, expected, ct);
            var result = await work(transaction);
            await ScheduleTimers(messages, transaction.Appended);
            try
            {
                await session.SaveChangesAsync(ct);
                return result;
            }
            catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                if (attempt == MaxAttempts) throw;
                log.LogInformation("Streams changed under attempt {Attempt}; deciding again", attempt);
            }
        }
    }

    /// <summary>A session whose events carry who acted, under which roles and jurisdictions, in which request and decision.</summary>
    private (IDocumentSession Session, MessageContext Messages) OpenSession(Actor actor, string? jurisdiction, Guid? subject)
    {
        // A fresh message context per attempt: timers scheduled by a losing attempt roll back with it.
        var messages = new MessageContext(wolverine);
        var session = outbox.OpenSession(messages);
        var context = http.HttpContext;
        session.CorrelationId = context?.Request.Headers["X-Correlation-Id"].FirstOrDefault() is { Length: > 0 and <= 100 } given
            ? given
            : context?.TraceIdentifier;
        session.LastModifiedBy = actor.UserName;
        session.SetHeader(EventHeaders.Roles, actor.Roles.Select(r => r.ToString()).ToArray());
        session.SetHeader(EventHeaders.Jurisdictions, actor.Jurisdictions.ToArray());
        session.SetHeader(EventHeaders.Decision, DecisionId.ToString());
        if (jurisdiction is not null) session.SetHeader(EventHeaders.Jurisdiction, jurisdiction);
        if (subject is not null) session.SetHeader(EventHeaders.Subject, subject.Value.ToString());
        return (session, messages);
    }

    /// <summary>Deadlines that the new events set are scheduled in the same transaction (Wolverine's durable outbox).</summary>
    private static async Task ScheduleTimers(MessageContext messages, IEnumerable<object> events)
    {
        foreach (var (message, at) in events.SelectMany(Deadlines.Timers.For))
            await messages.ScheduleAsync(message, at.ToDateTimeOffset());
    }

    private long? ExpectedVersion()
    {
        var header = http.HttpContext?.Request.Headers.IfMatch.FirstOrDefault();
        if (string.IsNullOrWhiteSpace(header)) return null;
        var raw = header.Trim().TrimStart('W', '/').Trim('"');
        return long.TryParse(raw, out var v) && v >= 0
            ? v
            : throw ProblemException.Invalid("If-Match", $"'{header}' is not a stream version such as \"3\".");
    }
}

/// <summary>One multi-stream unit of work inside <see cref="EventStreams.Transact{T}"/>.</summary>
public sealed class StreamTransaction(IDocumentSession session, Actor actor, IReadOnlyCollection<Role> allowed, Instant now,
    Guid? subject, long? expectedVersion, CancellationToken ct)
{
    private readonly Dictionary<Guid, (object Stream, long Version)> _locked = new();
    private readonly Dictionary<Guid, int> _appended = new();
    private readonly HashSet<Guid> _outsideScope = [];
    private readonly List<object> _events = [];

    /// <summary>Everything this transaction appends.</summary>
    public IReadOnlyList<object> Appended => _events;

    public Instant Now { get; } = now;

    /// <summary>
    /// Locks and loads existing streams, in ascending id order whatever order they are asked in; 404 for a
    /// missing one, 403 when the actor's jurisdiction does not cover it.
    /// </summary>
    public async Task<(T1, T2)> Lock<T1, T2>(Guid id1, Guid id2) where T1 : class, IJurisdictional where T2 : class, IJurisdictional
    {
        var locked = await LockInOrder([Locking<T1>(id1), Locking<T2>(id2)]);
        return ((T1)locked[id1], (T2)locked[id2]);
    }

    public async Task<(T1, T2, T3)> Lock<T1, T2, T3>(Guid id1, Guid id2, Guid id3)
        where T1 : class, IJurisdictional where T2 : class, IJurisdictional where T3 : class, IJurisdictional
    {
        var locked = await LockInOrder([Locking<T1>(id1), Locking<T2>(id2), Locking<T3>(id3)]);
        return ((T1)locked[id1], (T2)locked[id2], (T3)locked[id3]);
    }

    /// <summary>One stream and any number of streams of another type (a request and the depots holding its stock).</summary>
    public async Task<(T1 One, IReadOnlyDictionary<Guid, T2> Others)> Lock<T1, T2>(Guid id, IEnumerable<Guid> others)
        where T1 : class, IJurisdictional where T2 : class, IJurisdictional
    {
        var locked = await LockInOrder(others.Select(Locking<T2>).Prepend(Locking<T1>(id)));
        return ((T1)locked[id], locked.Where(l => l.Key != id).ToDictionary(l => l.Key, l => (T2)l.Value));
    }

    /// <summary>
    /// The one place that decides lock order: ascending ids, so that two transactions never wait on each other in a
    /// circle. A stream asked for twice is locked once, as the first type it was asked for.
    /// </summary>
    private async Task<Dictionary<Guid, object>> LockInOrder(IEnumerable<(Guid Id, Func<Task<object>> Lock)> streams)
    {
        var locked = new Dictionary<Guid, object>();
        foreach (var (id, lockIt) in streams.OrderBy(s => s.Id))
            if (!locked.ContainsKey(id)) locked[id] = await lockIt();
        return locked;
    }

    private (Guid Id, Func<Task<object>> Lock) Locking<T>(Guid id) where T : class, IJurisdictional => (id, async () => await Lock<T>(id));

    public async Task<T> Lock<T>(Guid id) where T : class, IJurisdictional
    {
        var stream = await session.Events.FetchForExclusiveWriting<T>(id, ct);
        var state = stream.Aggregate ?? throw ProblemException.NotFound($"{typeof(T).Name} {id}");
        if (!_outsideScope.Contains(id) && Access.Refusal(actor, allowed, state.Jurisdiction) is { } refusal)
            throw ProblemException.Forbidden(refusal);
        var version = stream.CurrentVersion ?? 0;
        if (id == subject)
        {
            session.SetHeader(EventHeaders.Jurisdiction, state.Jurisdiction);
            if (expectedVersion is { } expected && expected != version) throw ProblemException.StaleVersion(expected, version);
        }
        _locked[id] = (stream, version);
        return state;
    }

    /// <summary>
    /// Lets the actor change a stream outside their jurisdiction as a consequence of what they may do
    /// (a hospital's receipt takes the goods out of a depot in another province).
    /// </summary>
    public StreamTransaction OutsideScope(Guid id)
    {
        _outsideScope.Add(id);
        return this;
    }

    /// <summary>Applies a decision, sending each event to the stream <paramref name="route"/> names; a refusal ends the request.</summary>
    public void Apply(Decision decision, Func<object, Guid> route)
    {
        if (decision.Violation is { } violation) throw ProblemException.Refused(violation);
        _events.AddRange(decision.Events);
        foreach (var group in decision.Events.GroupBy(route))
        {
            if (_locked.ContainsKey(group.Key)) session.Events.Append(group.Key, group.ToArray());
            else session.Events.StartStream(group.Key, group.ToArray());
            _appended[group.Key] = _appended.GetValueOrDefault(group.Key) + group.Count();
        }
    }

    /// <summary>Appends to a log stream that needs no lock (a checkpoint's daily checks), creating it when needed.</summary>
    public void Record(Guid streamId, object @event)
    {
        session.Events.Append(streamId, @event);
        _events.Add(@event);
        _appended[streamId] = _appended.GetValueOrDefault(streamId) + 1;
    }

    /// <summary>The version a stream will have once this transaction commits.</summary>
    public long VersionAfter(Guid id) => (_locked.TryGetValue(id, out var l) ? l.Version : 0) + _appended.GetValueOrDefault(id);
}

/// <summary>Metadata every appended event carries, read back by the decision log and the audit views.</summary>
public static class EventHeaders
{
    public const string Roles = "roles";
    public const string Jurisdictions = "jurisdictions";
    /// <summary>The jurisdiction the command acted on.</summary>
    public const string Jurisdiction = "jurisdiction";
    /// <summary>One id per accepted command, shared by all the events it produced.</summary>
    public const string Decision = "decision";
    /// <summary>The stream the command was about (the one its route names), among the streams it changed.</summary>
    public const string Subject = "subject";
}
