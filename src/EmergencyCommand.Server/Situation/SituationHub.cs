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
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<SituationState> Current(CancellationToken ct)
    {
        if (_state is { } state) return state;
        await _gate.WaitAsync(ct);
        try
        {
            _state ??= await new SituationReader(Store).AsOf(null, ct);
            return _state;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Completes at the next change after the call.</summary>
    public Task NextChange(CancellationToken ct) => _changed.Task.WaitAsync(ct);

    public async Task Apply(IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        await Current(ct); // the first page may arrive before anyone looked
        await _gate.WaitAsync(ct);
        try
        {
            var state = _state!;
            var fresh = events.Where(e => e.Sequence > state.Sequence).OrderBy(e => e.Sequence).ToList();
            if (fresh.Count == 0) return;
            if (fresh[0].Sequence > state.Sequence + 1)
            {
                // Events between our last fold and this page (committed while we first loaded): read them once.
                await using var session = Store.QuerySession();
                var missing = await session.Events.QueryAllRawEvents()
                    .Where(e => e.Sequence > state.Sequence && e.Sequence < fresh[0].Sequence).OrderBy(e => e.Sequence).ToListAsync(ct);
                fresh.InsertRange(0, missing);
            }
            foreach (var e in fresh) state = state.Evolve(e.StreamId, e.Sequence, e.Data);
            _state = state;
        }
        finally
        {
            _gate.Release();
        }
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        log.LogDebug("Situation moved to sequence {Sequence}", _state?.Sequence);
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
        await _hub.Apply(page.Events, cancellationToken);
        return NullChangeListener.Instance;
    }
}
