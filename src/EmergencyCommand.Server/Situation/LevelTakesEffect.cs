using NodaTime;

namespace EmergencyCommand.Server.Situation;

/// <summary>
/// A response level declared for later takes effect at its <c>effectiveAt</c> with no event then. Without a nudge the
/// cockpit and the live streams, which redraw when the log moves, would show the old level until something else was
/// recorded (at night, maybe hours). This wakes the hub's followers at the moment the next scheduled level comes into force.
/// </summary>
public sealed class LevelTakesEffect(SituationHub hub, IClock clock, ILogger<LevelTakesEffect> log) : BackgroundService
{
    /// <summary>How often to look whether someone has loaded the hub, and the longest single wait (a timer's range is limited).</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5), LongestWait = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The moments are counted from the last one woken for, not from now: a timer may fire a little early, and the
        // moment must not slip by unannounced while it is looked at again.
        var wokenFor = clock.GetCurrentInstant();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var changed = hub.NextChange(stoppingToken);
                var next = hub.IsLoaded ? NextToTakeEffect(await hub.Current(stoppingToken), after: wokenFor) : null;
                if (next is { } due && due <= clock.GetCurrentInstant())
                {
                    wokenFor = due;
                    hub.TimePassed();
                    continue;
                }
                // Nobody has drawn a board yet (the hub loads on first use), or nothing is scheduled: look again later.
                var wait = next is { } at ? (at - clock.GetCurrentInstant()).ToTimeSpan() : hub.IsLoaded ? LongestWait : Recheck;
                await Task.WhenAny(changed, Task.Delay(wait > LongestWait ? LongestWait : wait, stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Could not wait for the next scheduled response level");
                await Task.Delay(Recheck, stoppingToken);
            }
        }
    }

    private static Instant? NextToTakeEffect(Domain.Situation.SituationState state, Instant after) =>
        state.Levels.Values.Select(l => l.NextChangeAfter(after)).Where(from => from is not null).Min();
}
