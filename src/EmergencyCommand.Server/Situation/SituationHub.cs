using EmergencyCommand.Domain.Situation;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace EmergencyCommand.Server.Situation;

/// <summary>
/// The live situation, held once per server process: loaded on first use (latest snapshot plus what follows), then moved
/// forward by <see cref="SituationSubscription"/> as the async daemon delivers committed events. Every
/// cockpit and every live stream reads this one copy, so a hundred browsers cost the database nothing extra.
/// </summary>
public sealed class SituationHub(IServiceProvider services, ILogger<SituationHub> log)
{
    // Resolved late: the store itself is built with this hub's subscription.
    private IDocumentStore Store => services.GetRequiredService<IDocumentStore>();

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SituationState? _state;
    private DateTimeOffset? _lastTimestamp;
    private long _lastSnapshot;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<SituationState> Current(CancellationToken ct)
    {
        if (_state is { } state) return state;
        await _gate.WaitAsync(ct);
        try
        {
            if (_state is null)
            {
                var folded = await new SituationReader(Store).Load(null, ct);
                (_state, _lastTimestamp, _lastSnapshot) = (folded.State, folded.LastTimestamp, folded.FromSnapshot);
            }
            return _state;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Completes at the next change after the call.</summary>
    public Task NextChange(CancellationToken ct) => _changed.Task.WaitAsync(ct);

    /// <summary>Moves the live state forward; returns a snapshot to store when the page crossed a snapshot boundary.</summary>
    public async Task<SituationSnapshot?> Apply(IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return null;
        await Current(ct); // the first page may arrive before anyone looked
        SituationSnapshot? snapshot = null;
        await _gate.WaitAsync(ct);
        try
        {
            var state = _state!;
            var fresh = events.Where(e => e.Sequence > state.Sequence).OrderBy(e => e.Sequence).ToList();
            if (fresh.Count > 0 && fresh[0].Sequence > state.Sequence + 1)
            {
                // Events between our last fold and this page (committed while we first loaded): read them once.
                await using var session = Store.QuerySession();
                var missing = await session.Events.QueryAllRawEvents()
                    .Where(e => e.Sequence > state.Sequence && e.Sequence < fresh[0].Sequence).OrderBy(e => e.Sequence).ToListAsync(ct);
                fresh.InsertRange(0, missing);
            }
            foreach (var e in fresh)
            {
                state = state.Evolve(e.StreamId, e.Sequence, e.Data);
                _lastTimestamp = e.Timestamp;
            }
            _state = state;
            if (state.Sequence - _lastSnapshot >= SituationReader.SnapshotEvery && _lastTimestamp is { } last)
            {
                snapshot = new SituationSnapshot { Id = state.Sequence, LastTimestamp = last, State = state };
                _lastSnapshot = state.Sequence;
            }
            if (fresh.Count == 0 && snapshot is null) return null;
        }
        finally
        {
            _gate.Release();
        }
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        log.LogDebug("Situation moved to sequence {Sequence}", _state?.Sequence);
        return snapshot;
    }
}

/// <summary>Feeds committed events, in order, from Marten's async daemon to the hub.</summary>
public sealed class SituationSubscription : SubscriptionBase
{
    private readonly SituationHub _hub;

    public SituationSubscription(SituationHub hub)
    {
        _hub = hub;
        Name = "Situation";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // Snapshots let time travel start near its target instead of at the first event.
        if (await _hub.Apply(page.Events, cancellationToken) is { } snapshot) operations.Store(snapshot);
        return NullChangeListener.Instance;
    }
}
