using EmergencyCommand.Domain.Shared;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Platform;

/// <summary>One multi-stream unit of work inside <see cref="EventStreams.Transact{T}"/>.</summary>
public sealed class StreamTransaction(IDocumentSession session, Actor actor, IReadOnlyCollection<Role>? allowed, Instant now,
    Guid? subject, long? expectedVersion, CancellationToken ct)
{
    private readonly Dictionary<Guid, (Action<object[]> Append, long Version)> _locked = new();
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

    public async Task<T> Lock<T>(Guid id) where T : class, IJurisdictional =>
        await LockIfExists<T>(id) ?? throw ProblemException.NotFound($"{typeof(T).Name} {id}");

    /// <summary>Locks a stream that may not exist yet (a user name being registered): null when it does not.</summary>
    public async Task<T?> LockIfExists<T>(Guid id) where T : class, IJurisdictional
    {
        var stream = await session.Events.FetchForExclusiveWriting<T>(id, ct);
        var version = stream.CurrentVersion ?? 0;
        if (stream.Aggregate is { } state)
        {
            if (allowed is not null && !_outsideScope.Contains(id) && Access.Refusal(actor, allowed, state.Jurisdiction) is { } refusal)
                throw ProblemException.Forbidden(refusal);
            if (id == subject) session.SetHeader(EventHeaders.Jurisdiction, state.Jurisdiction);
        }
        if (id == subject && expectedVersion is { } expected && expected != version) throw ProblemException.StaleVersion(expected, version);
        _locked[id] = (events => stream.AppendMany(events), version);
        return stream.Aggregate;
    }

    /// <summary>The jurisdiction the command acts on, when the subject stream is new (it has none to give yet).</summary>
    public StreamTransaction ActingOn(string jurisdiction)
    {
        session.SetHeader(EventHeaders.Jurisdiction, jurisdiction);
        return this;
    }

    /// <summary>Stores a document in the same commit (what belongs beside the log, such as a password hash).</summary>
    public void Store<T>(T document) where T : notnull => session.Store(document);

    /// <summary>
    /// A stream's current document, read without a lock: to learn which other streams to lock (locks are taken in id
    /// order, never one by one). What it says may change before the locks are held; check it again under them and
    /// <see cref="ReadAgain"/> when it did.
    /// </summary>
    public async Task<T> Peek<T>(Guid id) where T : class =>
        await session.LoadAsync<T>(id, ct) ?? throw ProblemException.NotFound($"{typeof(T).Name} {id}");

    /// <summary>A document read inside the transaction, after its locks: as the last commit under the same locks left it.</summary>
    public async Task<T?> Find<T>(Guid id) where T : class => await session.LoadAsync<T>(id, ct);

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
            if (_locked.TryGetValue(group.Key, out var locked)) locked.Append(group.ToArray());
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

