using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// Failed sign-ins counted per user name and per client address over a sliding window (ASP.NET Core's rate limiting):
/// past the allowance, sign-in is refused with 429 and a Retry-After until the window has moved on. Successes count
/// nothing. Each server process counts its own; the lock-out it records as a fact holds for every process.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _users;
    private readonly PartitionedRateLimiter<string> _addresses;

    public SignInThrottle(IOptions<AuthOptions> options)
    {
        var o = options.Value;
        Window = TimeSpan.FromMinutes(o.FailureWindowMinutes);
        MaxFailures = o.MaxFailuresPerUser;
        _users = Limiter(o.MaxFailuresPerUser, Window);
        _addresses = Limiter(o.MaxFailuresPerAddress, Window);
    }

    public TimeSpan Window { get; }

    /// <summary>Failures a user name is allowed within the window.</summary>
    public int MaxFailures { get; }

    private static PartitionedRateLimiter<string> Limiter(int failures, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = failures, Window = window, SegmentsPerWindow = 10, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>How long to wait before trying again, when this user name or this address has failed too often; otherwise null.</summary>
    public TimeSpan? WaitBeforeTrying(string username, string address) => Exhausted(_users, username) ?? Exhausted(_addresses, address);

    /// <summary>Counts a failed sign-in; true when it used up the user name's allowance (the user is now locked out).</summary>
    public bool Failed(string username, string address)
    {
        using (_addresses.AttemptAcquire(address)) { }
        using var lease = _users.AttemptAcquire(username);
        return lease.IsAcquired && Exhausted(_users, username) is not null;
    }

    private TimeSpan? Exhausted(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key, 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : Window;
    }

    public void Dispose()
    {
        _users.Dispose();
        _addresses.Dispose();
    }
}
