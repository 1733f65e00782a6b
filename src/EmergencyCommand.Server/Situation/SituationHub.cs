using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace EmergencyCommand.Server.Situation;

/// <summary>
/// The live situation, held once per server process: loaded on first use (latest snapshot plus what follows, up to
/// the daemon's high-water mark), then moved forward by <see cref="SituationSubscription"/> as the async daemon
/// delivers committed events, and by <see cref="SituationCatchUp"/> where no daemon delivers (a standby process in
/// HotCold mode) or before it starts. Every cockpit and every live stream reads this one copy, so a hundred browsers
/// cost the database nothing extra.
/// </summary>
public sealed class SituationHub(IServiceProvider services, IConfiguration config, ILogger<SituationHub> log)
{
    // Resolved late: the store itself is built with this hub's subscription.
    private IDocumentStore Store => services.GetRequiredService<IDocumentStore>();

    /// <summary>Without a daemon nobody keeps the high-water mark: the hub then reads up to the last event (bench variants only).</summary>
    private readonly bool _daemonOff = EventStore.DaemonModeOf(config) == DaemonMode.Disabled;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SituationState? _state;
    private long _caughtUpTo;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLoaded => _state is not null;

    public async Task<SituationState> Current(CancellationToken ct)
    {
        if (_state is { } state) return state;
        await _gate.WaitAsync(ct);
        try
        {
            // Only up to the high-water mark: past it, an event with a lower sequence may still be committing, and
            // folding beyond it would skip that event for good.
            _state ??= await new SituationReader(Store).Through(await UpperBound(ct), ct);
            return _state;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Completes at the next change after the call.</summary>
    public Task NextChange(CancellationToken ct) => _changed.Task.WaitAsync(ct);

    /// <summary>
    /// Wakes whoever follows the hub with nothing new in the log: a level declared for later takes effect when its moment
    /// comes, and every board drawn after that shows it in force (<see cref="LevelTakesEffect"/>).
    /// </summary>
    public void TimePassed() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>A page of committed events from the daemon; anything between the hub and the page is read first.</summary>
    public async Task Apply(IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        await Current(ct); // the first page may arrive before anyone looked
        await Advance(async (state, session) =>
        {
            var fresh = events.Where(e => e.Sequence > state.Sequence).OrderBy(e => e.Sequence).ToList();
            if (fresh.Count > 0 && fresh[0].Sequence > state.Sequence + 1)
                fresh.InsertRange(0, await EventLog.Between(session, state.Sequence, fresh[0].Sequence - 1, ct));
            return fresh;
        }, ct);
    }

    /// <summary>Folds in what the high-water mark has passed and the hub has not seen.</summary>
    public async Task CatchUp(CancellationToken ct)
    {
        if (!IsLoaded) return; // nobody has looked yet: the first look loads it whole
        var mark = await UpperBound(ct);
        // The mark may stand past the last event folded in when the log ends in a gap (a rolled-back append).
        if (mark <= _state!.Sequence || mark <= _caughtUpTo) return;
        await Advance(async (state, session) => (await EventLog.Between(session, state.Sequence, mark, ct)).ToList(), ct);
        _caughtUpTo = mark;
    }

    private async Task Advance(Func<SituationState, IQuerySession, Task<List<IEvent>>> eventsAfter, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var state = _state!;
            await using var session = Store.QuerySession();
            var fresh = await eventsAfter(state, session);
            if (fresh.Count == 0) return;
            _state = await SituationReader.Fold.Fold(session, state, fresh, ct);
        }
        finally
        {
            _gate.Release();
        }
        TimePassed();
        log.LogDebug("Situation moved to sequence {Sequence}", _state?.Sequence);
    }

    /// <summary>The sequence up to which every event is committed, as the daemon (here or in another process) last saw it.</summary>
    private Task<long> UpperBound(CancellationToken ct) => _daemonOff ? EventLog.LastSequence(Store, ct) : EventLog.HighWaterMark(Store, ct);
}

/// <summary>
/// Keeps the hub following the log where the daemon does not feed it: in a standby process (HotCold runs the daemon in
/// one process only) and in the seconds before this process's daemon starts.
/// </summary>
public sealed class SituationCatchUp(SituationHub hub, ILogger<SituationCatchUp> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(EventStore.CaughtUpPolling);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await hub.CatchUp(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "The live situation could not catch up; trying again");
            }
        }
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
