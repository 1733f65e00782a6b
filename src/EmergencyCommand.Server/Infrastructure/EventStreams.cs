using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Auth;
using JasperFx;
using JasperFx.Events;
using Marten;
using NodaTime;

namespace EmergencyCommand.Server.Infrastructure;

/// <summary>What a write answers: the stream and its version after the write.</summary>
public sealed record Written(Guid Id, long Version);

/// <summary>
/// The one way commands reach the event store: check who may act, load the stream for writing,
/// run the pure decision, append its events with the actor's metadata, and commit. Concurrent writers
/// to one stream take turns on the stream's row lock, and a writer that still loses a race re-reads and
/// decides again (bounded); a writer that sent <c>If-Match</c> gets 412 instead, because it asked to
/// act only on the version it saw.
/// </summary>
public sealed class EventStreams(IDocumentStore store, IHttpContextAccessor http, IClock clock, ILogger<EventStreams> log)
{
    private const int MaxAttempts = 5;

    public Instant Now => clock.GetCurrentInstant();

    public Actor Actor => http.HttpContext?.User.ToActor()
                          ?? throw new ProblemException(401, "Unauthorized", "Sign in first: POST /api/auth/token.");

    /// <summary>Throws 403 unless the actor may act with one of <paramref name="allowed"/> over <paramref name="jurisdiction"/>.</summary>
    public Actor Demand(IReadOnlyCollection<Role> allowed, string? jurisdiction = null)
    {
        var actor = Actor;
        return Access.Refusal(actor, allowed, jurisdiction) is { } refusal ? throw ProblemException.Forbidden(refusal) : actor;
    }

    public async Task<Written> Start<TState>(Guid id, string jurisdiction, IReadOnlyCollection<Role> allowed,
        IReadOnlyList<object> events, CancellationToken ct) where TState : class
    {
        var actor = Demand(allowed, jurisdiction);
        await using var session = OpenSession(actor);
        session.Events.StartStream<TState>(id, events);
        await session.SaveChangesAsync(ct);
        return new Written(id, events.Count);
    }

    public async Task<Written> Append<TState>(Guid id, IReadOnlyCollection<Role> allowed,
        Func<TState, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional
    {
        var actor = Demand(allowed);
        var expected = ExpectedVersion();
        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession(actor);
            // Without If-Match, writers to one stream queue on its row lock instead of failing each other;
            // with If-Match, the optimistic check is the point and a lost race is a 412.
            var stream = expected is null
                ? await session.Events.FetchForExclusiveWriting<TState>(id, ct)
                : await session.Events.FetchForWriting<TState>(id, ct);
            if (stream.Aggregate is null) throw ProblemException.NotFound($"{typeof(TState).Name} {id}");
            var version = stream.CurrentVersion ?? 0;
            if (expected is not null && expected != version)
                throw ProblemException.StaleVersion(expected.Value, version);
            if (Access.Refusal(actor, allowed, stream.Aggregate.Jurisdiction) is { } refusal)
                throw ProblemException.Forbidden(refusal);

            var decision = decide(stream.Aggregate, Now);
            if (decision.Violation is { } violation) throw ProblemException.Conflict(violation);

            stream.AppendMany(decision.Events);
            try
            {
                await session.SaveChangesAsync(ct);
                return new Written(id, version + decision.Events.Count);
            }
            catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                if (expected is not null) throw ProblemException.StaleVersion(expected.Value, version);
                if (attempt == MaxAttempts) throw;
                log.LogInformation("Stream {StreamId} changed under attempt {Attempt}; deciding again", id, attempt);
            }
        }
    }

    /// <summary>A session whose events carry who acted, under which roles and jurisdictions, in which request.</summary>
    public IDocumentSession OpenSession(Actor actor)
    {
        var session = store.LightweightSession();
        var context = http.HttpContext;
        session.CorrelationId = context?.Request.Headers["X-Correlation-Id"].FirstOrDefault() is { Length: > 0 and <= 100 } given
            ? given
            : context?.TraceIdentifier;
        session.LastModifiedBy = actor.UserName;
        session.SetHeader(EventHeaders.Roles, actor.Roles.Select(r => r.ToString()).ToArray());
        session.SetHeader(EventHeaders.Jurisdictions, actor.Jurisdictions.ToArray());
        return session;
    }

    private long? ExpectedVersion()
    {
        var header = http.HttpContext?.Request.Headers.IfMatch.FirstOrDefault();
        if (string.IsNullOrWhiteSpace(header)) return null;
        var raw = header.Trim().TrimStart('W', '/').Trim('"');
        return long.TryParse(raw, out var v) && v >= 0
            ? v
            : throw ProblemException.Invalid("If-Match", $"'{header}' is not a stream version such as \"3\".");
    }
}

public static class EventHeaders
{
    public const string Roles = "roles";
    public const string Jurisdictions = "jurisdictions";
}
