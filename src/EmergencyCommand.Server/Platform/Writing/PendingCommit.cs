using Marten;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// A command sent with an <c>Idempotency-Key</c> does not commit when it has decided: its session waits here until the
/// answer is written, and then the events, the key and the answer commit in one transaction (<see cref="IdempotencyMiddleware"/>).
/// A crash before that commit leaves nothing behind, so the key is simply free to be tried again.
/// </summary>
public sealed class PendingCommit
{
    private static readonly AsyncLocal<PendingCommit?> CurrentRequest = new();

    /// <summary>The pending commit of the request this code runs in, if it carries a key and has not yet written.</summary>
    internal static PendingCommit? Current => CurrentRequest.Value is { Closed: false } pending ? pending : null;

    internal IDocumentSession? Session { get; private set; }

    private bool Closed { get; set; }

    internal static PendingCommit Begin() => CurrentRequest.Value = new PendingCommit();

    /// <summary>Takes the session over; false when one is already waiting (a request commits one command with its key).</summary>
    internal bool Take(IDocumentSession session)
    {
        if (Session is not null) return false;
        Session = session;
        return true;
    }

    /// <summary>Nothing more may wait here; what does is for the caller to commit or drop.</summary>
    internal IDocumentSession? Close()
    {
        Closed = true;
        CurrentRequest.Value = null;
        return Session;
    }
}

/// <summary>A command's session: committed when it is done, unless the request commits it later with its answer.</summary>
internal sealed class SessionLease(IDocumentSession session) : IAsyncDisposable
{
    private bool _handedOver;

    public async Task Commit(CancellationToken ct)
    {
        if (PendingCommit.Current is { } pending && pending.Take(session)) _handedOver = true;
        else await session.SaveChangesAsync(ct);
    }

    public ValueTask DisposeAsync() => _handedOver ? ValueTask.CompletedTask : session.DisposeAsync();
}
