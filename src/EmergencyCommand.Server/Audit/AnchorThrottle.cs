using System.Threading.RateLimiting;
using EmergencyCommand.Server.Platform;
using Microsoft.Extensions.Options;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// Anchors signed on demand, counted per user over a minute (ASP.NET Core's rate limiting, as sign-in's throttle): each
/// costs a pass over the links and a signature, and the witness writes them anyway. Past the allowance: 429 with a
/// Retry-After. Each server process counts its own.
/// </summary>
public sealed class AnchorThrottle(IOptions<AuditOptions> options) : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _users = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.AnchorsPerMinute), Window = Window, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Takes one of the user's anchors for this minute, or refuses with 429.</summary>
    public void Take(string user)
    {
        using var lease = _users.AttemptAcquire(user);
        if (lease.IsAcquired) return;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : Window;
        throw ProblemException.TooManyAttempts(
            $"{user} has signed {options.Value.AnchorsPerMinute} anchors within a minute; the witness anchors the log every few minutes anyway.", retryAfter);
    }

    public void Dispose() => _users.Dispose();
}
