using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Auth;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events;
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

    /// <summary>Identifies this request's command in the decision log; the events it appends carry it.</summary>
    public Guid DecisionId { get; } = Guid.CreateVersion7();

    public Actor Actor => http.HttpContext?.User.ToActor()
                          ?? throw new ProblemException(401, "Unauthorized", "Sign in first: POST /api/auth/token.");

    /// <summary>Throws 403 unless the actor may act with one of <paramref name="allowed"/> over <paramref name="jurisdiction"/>.</summary>
    public Actor Demand(IReadOnlyCollection<Role> allowed, string? jurisdiction = null)
    {
        var actor = Actor;
        return Access.Refusal(actor, allowed, jurisdiction) is { } refusal ? throw ProblemException.Forbidden(refusal) : actor;
    }

    /// <summary>Starts a new stream with events that need no prior state.</summary>
    public async Task<Written> Start<TState>(Guid id, string jurisdiction, IReadOnlyCollection<Role> allowed,
        IReadOnlyList<object> events, CancellationToken ct) where TState : class
    {
        var actor = Demand(allowed, jurisdiction);
        await using var session = OpenSession(actor, jurisdiction);
        session.Events.StartStream<TState>(id, events);
        await session.SaveChangesAsync(ct);
        return new Written(id, events.Count);
    }

    /// <summary>Decides on an existing stream (404 when there is none); its own jurisdiction bounds who may act.</summary>
    public Task<Written> Append<TState>(Guid id, IReadOnlyCollection<Role> allowed,
        Func<TState, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional =>
        Write<TState>(id, allowed, null, (state, now) =>
            decide(state ?? throw ProblemException.NotFound($"{typeof(TState).Name} {id}"), now), ct);

    /// <summary>Decides on a stream that may not exist yet, such as a jurisdiction's response level.</summary>
    public Task<Written> Decide<TState>(Guid id, string jurisdiction, IReadOnlyCollection<Role> allowed,
        Func<TState?, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional =>
        Write(id, allowed, jurisdiction, decide, ct);

    private async Task<Written> Write<TState>(Guid id, IReadOnlyCollection<Role> allowed, string? jurisdiction,
        Func<TState?, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional
    {
        var actor = Demand(allowed, jurisdiction);
        var expected = ExpectedVersion();
        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession(actor, jurisdiction);
            // Without If-Match, writers to one stream queue on its row lock instead of failing each other;
            // with If-Match, the optimistic check is the point and a lost race is a 412.
            var stream = expected is null
                ? await session.Events.FetchForExclusiveWriting<TState>(id, ct)
                : await session.Events.FetchForWriting<TState>(id, ct);
            var version = stream.CurrentVersion ?? 0;
            if (stream.Aggregate is { } existing)
            {
                if (Access.Refusal(actor, allowed, existing.Jurisdiction) is { } refusal) throw ProblemException.Forbidden(refusal);
                if (jurisdiction is null) session.SetHeader(EventHeaders.Jurisdiction, existing.Jurisdiction);
            }
            if (expected is not null && expected != version) throw ProblemException.StaleVersion(expected.Value, version);

            var decision = decide(stream.Aggregate, Now);
            if (decision.Violation is { } violation) throw ProblemException.Refused(violation);

            stream.AppendMany(decision.Events);
            try
            {
                await session.SaveChangesAsync(ct);
                return new Written(id, version + decision.Events.Count);
            }
            catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException)
            {
                if (expected is not null) throw ProblemException.StaleVersion(expected.Value, version);
                if (attempt == MaxAttempts) throw;
                log.LogInformation("Stream {StreamId} changed under attempt {Attempt}; deciding again", id, attempt);
            }
        }
    }

    /// <summary>
    /// Decides on two existing streams at once (an allocation changes a depot and a request): both are
    /// locked in a fixed order so that concurrent pairs cannot deadlock, and their events commit together
    /// or not at all. <paramref name="belongsToFirst"/> routes each event of the decision to its stream.
    /// </summary>
    public async Task<(Written First, Written Second)> AppendToBoth<TFirst, TSecond>(
        Guid firstId, Guid secondId, IReadOnlyCollection<Role> allowed,
        Func<TFirst, TSecond, Instant, Decision> decide, Func<object, bool> belongsToFirst, CancellationToken ct)
        where TFirst : class, IJurisdictional where TSecond : class, IJurisdictional
    {
        var actor = Demand(allowed);
        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession(actor, null);
            IEventStream<TFirst>? first = null;
            IEventStream<TSecond>? second = null;
            if (firstId.CompareTo(secondId) < 0)
            {
                first = await session.Events.FetchForExclusiveWriting<TFirst>(firstId, ct);
                second = await session.Events.FetchForExclusiveWriting<TSecond>(secondId, ct);
            }
            else
            {
                second = await session.Events.FetchForExclusiveWriting<TSecond>(secondId, ct);
                first = await session.Events.FetchForExclusiveWriting<TFirst>(firstId, ct);
            }
            var a = first.Aggregate ?? throw ProblemException.NotFound($"{typeof(TFirst).Name} {firstId}");
            var b = second.Aggregate ?? throw ProblemException.NotFound($"{typeof(TSecond).Name} {secondId}");
            foreach (var scope in new[] { a.Jurisdiction, b.Jurisdiction })
                if (Access.Refusal(actor, allowed, scope) is { } refusal) throw ProblemException.Forbidden(refusal);
            session.SetHeader(EventHeaders.Jurisdiction, b.Jurisdiction);

            var decision = decide(a, b, Now);
            if (decision.Violation is { } violation) throw ProblemException.Refused(violation);
            var forFirst = decision.Events.Where(belongsToFirst).ToList();
            var forSecond = decision.Events.Where(e => !belongsToFirst(e)).ToList();
            var (versionA, versionB) = (first.CurrentVersion ?? 0, second.CurrentVersion ?? 0);
            first.AppendMany(forFirst);
            second.AppendMany(forSecond);
            try
            {
                await session.SaveChangesAsync(ct);
                return (new Written(firstId, versionA + forFirst.Count), new Written(secondId, versionB + forSecond.Count));
            }
            catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
            {
                if (attempt == MaxAttempts) throw;
                log.LogInformation("Streams {First}/{Second} changed under attempt {Attempt}; deciding again", firstId, secondId, attempt);
            }
        }
    }

    /// <summary>A session whose events carry who acted, under which roles and jurisdictions, in which request and decision.</summary>
    private IDocumentSession OpenSession(Actor actor, string? jurisdiction)
    {
        var session = store.LightweightSession();
        var context = http.HttpContext;
        session.CorrelationId = context?.Request.Headers["X-Correlation-Id"].FirstOrDefault() is { Length: > 0 and <= 100 } given
            ? given
            : context?.TraceIdentifier;
        session.LastModifiedBy = actor.UserName;
        session.SetHeader(EventHeaders.Roles, actor.Roles.Select(r => r.ToString()).ToArray());
        session.SetHeader(EventHeaders.Jurisdictions, actor.Jurisdictions.ToArray());
        session.SetHeader(EventHeaders.Decision, DecisionId.ToString());
        if (jurisdiction is not null) session.SetHeader(EventHeaders.Jurisdiction, jurisdiction);
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

/// <summary>Metadata every appended event carries, read back by the decision log and the audit views.</summary>
public static class EventHeaders
{
    public const string Roles = "roles";
    public const string Jurisdictions = "jurisdictions";
    /// <summary>The jurisdiction the command acted on.</summary>
    public const string Jurisdiction = "jurisdiction";
    /// <summary>One id per accepted command, shared by all the events it produced.</summary>
    public const string Decision = "decision";
}
