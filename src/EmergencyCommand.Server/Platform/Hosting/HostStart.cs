namespace EmergencyCommand.Server.Platform;

public static class HostStart
{
    /// <summary>
    /// Completes once the host has started (at once if it already has): the schema is in place and Wolverine's runtime
    /// runs, which background work that writes needs.
    /// </summary>
    public static async Task Started(this IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        await using var _ = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(ct);
    }
}
