using EmergencyCommand.Server.Situation;

namespace EmergencyCommand.Server.Ui;

/// <summary>Tells a page that the log has moved on (anything, anywhere), so it reads again what it shows.</summary>
public interface ILiveUpdates
{
    event Func<Task>? Changed;
}

/// <summary>
/// One per circuit: follows the process's live situation (fed by the daemon as events are committed) and tells the
/// pages at most a few times a second. Pages then read again through the API, so what they show stays the caller's.
/// </summary>
public sealed class LiveUpdates : ILiveUpdates, IAsyncDisposable
{
    private static readonly TimeSpan AtMostEvery = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LiveUpdates(SituationHub hub, ILogger<LiveUpdates> log)
    {
        _loop = Task.Run(async () =>
        {
            var next = hub.NextChange(_stop.Token);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await next;
                    // Taken before the pages read again: a change while they read (or while this waits below) is not lost.
                    next = hub.NextChange(_stop.Token);
                    if (Changed is { } changed)
                        foreach (var handler in changed.GetInvocationList().Cast<Func<Task>>())
                            await handler();
                    await Task.Delay(AtMostEvery, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "A page could not follow a change");
                }
            }
        });
    }

    public event Func<Task>? Changed;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
