using EmergencyCommand.Domain.Shared;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events;
using NodaTime;
using Wolverine;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// The one way commands reach the event store: load the stream for writing, check the actor may act on it, run the pure
/// decision, append its events with the command's metadata and the timers they set, and commit. Concurrent writers to
/// one stream take turns on the stream's row lock; a writer that still loses a race decides again on what won
/// (<see cref="Attempts"/>), and one that sent <c>If-Match</c> then gets 412, because it asked to act only on the
/// version it saw.
/// </summary>
public sealed class EventStreams(OutboxedSessionFactory outbox, IWolverineRuntime wolverine, Modules modules, IClock clock,
    ILogger<EventStreams> log)
{
    public Instant Now => clock.GetCurrentInstant();

    /// <summary>Starts a new stream with events that need no prior state.</summary>
    public Task<Written> Start<TState>(CommandContext command, Guid id, string jurisdiction, IReadOnlyCollection<Role> allowed,
        IReadOnlyList<object> events, CancellationToken ct) where TState : class
    {
        Demand(command.Actor, allowed, jurisdiction);
        return Attempts.Run(log, id, async () =>
        {
            var (session, messages) = Open(command, jurisdiction, id);
            await using var lease = new SessionLease(session);
            session.Events.StartStream<TState>(id, events);
            await Schedule(messages, events);
            await lease.Commit(ct);
            return new Written(id, events.Count);
        });
    }

    /// <summary>Decides on an existing stream (404 when there is none); its own jurisdiction bounds who may act.</summary>
    public Task<Written> Append<TState>(CommandContext command, Guid id, IReadOnlyCollection<Role> allowed,
        Func<TState, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional =>
        Write<TState>(command, id, allowed, null, (state, now) =>
            decide(state ?? throw ProblemException.NotFound($"{typeof(TState).Name} {id}"), now), ct);

    /// <summary>Decides on a stream that may not exist yet, such as a jurisdiction's response level.</summary>
    public Task<Written> Decide<TState>(CommandContext command, Guid id, string jurisdiction, IReadOnlyCollection<Role> allowed,
        Func<TState?, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional =>
        Write(command, id, allowed, jurisdiction, decide, ct);

    private Task<Written> Write<TState>(CommandContext command, Guid id, IReadOnlyCollection<Role> allowed, string? jurisdiction,
        Func<TState?, Instant, Decision> decide, CancellationToken ct) where TState : class, IJurisdictional
    {
        Demand(command.Actor, allowed, jurisdiction);
        return Attempts.Run(log, id, async () =>
        {
            var (session, messages) = Open(command, jurisdiction, id);
            await using var lease = new SessionLease(session);
            // Without If-Match, writers to one stream queue on its row lock instead of failing each other;
            // with If-Match, the optimistic check is the point, and a lost race is decided again into a 412.
            var stream = command.ExpectedVersion is null
                ? await session.Events.FetchForExclusiveWriting<TState>(id, ct)
                : await session.Events.FetchForWriting<TState>(id, ct);
            var version = stream.CurrentVersion ?? 0;
            if (stream.Aggregate is { } existing)
            {
                Demand(command.Actor, allowed, existing.Jurisdiction);
                if (jurisdiction is null) session.SetHeader(EventHeaders.Jurisdiction, existing.Jurisdiction);
            }
            if (command.ExpectedVersion is { } expected && expected != version) throw ProblemException.StaleVersion(expected, version);

            var decision = decide(stream.Aggregate, Now);
            if (decision.Violation is { } violation) throw ProblemException.Refused(violation);
            stream.AppendMany(decision.Events);
            await Schedule(messages, decision.Events);
            await lease.Commit(ct);
            return new Written(id, version + decision.Events.Count);
        });
    }

    /// <summary>
    /// Decides on several streams at once (an allocation changes a depot and a request; a delivery, the shipment, the
    /// depot and the request). <paramref name="work"/> locks what it reads through the <see cref="StreamTransaction"/>,
    /// which takes the row locks in ascending id order so that two transactions never deadlock, and everything it
    /// appends commits together or not at all.
    /// </summary>
    /// <param name="subject">
    /// The existing stream the command is about (the one its route names): its jurisdiction is the decision's, and a
    /// sent <c>If-Match</c> is checked against its version. Null for a command that only records (a checkpoint check).
    /// </param>
    public Task<T> Transact<T>(CommandContext command, Guid? subject, IReadOnlyCollection<Role> allowed, Func<StreamTransaction, Task<T>> work,
        CancellationToken ct)
    {
        Demand(command.Actor, allowed, null);
        return Run(command, subject, allowed, work, ct);
    }

    /// <summary>
    /// A multi-stream decision that itself says who may make it, whatever their role (a user changing their own
    /// password): no role is demanded and no lock checks jurisdictions; <paramref name="work"/> must.
    /// </summary>
    public Task<T> TransactDecidingWhoMay<T>(CommandContext command, Guid? subject, Func<StreamTransaction, Task<T>> work, CancellationToken ct) =>
        Run(command, subject, null, work, ct);

    private Task<T> Run<T>(CommandContext command, Guid? subject, IReadOnlyCollection<Role>? allowed, Func<StreamTransaction, Task<T>> work,
        CancellationToken ct)
    {
        return Attempts.Run(log, subject, async () =>
        {
            var (session, messages) = Open(command, null, subject);
            await using var lease = new SessionLease(session);
            // A retry after a lost race locks again, and so checks If-Match again: a changed subject is then a 412.
            var transaction = new StreamTransaction(session, command.Actor, allowed, Now, subject,
                subject is null ? null : command.ExpectedVersion, ct);
            var result = await work(transaction);
            await Schedule(messages, transaction.Appended);
            await lease.Commit(ct);
            return result;
        });
    }

    /// <summary>Throws 403 unless the actor may act with one of <paramref name="allowed"/> over <paramref name="jurisdiction"/>.</summary>
    private static void Demand(Actor actor, IReadOnlyCollection<Role> allowed, string? jurisdiction)
    {
        if (Access.Refusal(actor, allowed, jurisdiction) is { } refusal) throw ProblemException.Forbidden(refusal);
    }

    /// <summary>A session whose events carry who acted, under which roles and jurisdictions, in which request and decision.</summary>
    private (IDocumentSession Session, MessageContext Messages) Open(CommandContext command, string? jurisdiction, Guid? subject)
    {
        // A fresh message context per attempt: timers scheduled by a losing attempt roll back with it.
        var messages = new MessageContext(wolverine);
        var session = outbox.OpenSession(messages);
        session.CorrelationId = command.CorrelationId;
        session.LastModifiedBy = command.Actor.UserName;
        session.SetHeader(EventHeaders.Roles, command.Actor.Roles.Select(r => r.ToString()).ToArray());
        session.SetHeader(EventHeaders.Jurisdictions, command.Actor.Jurisdictions.ToArray());
        session.SetHeader(EventHeaders.Decision, command.DecisionId.ToString());
        if (jurisdiction is not null) session.SetHeader(EventHeaders.Jurisdiction, jurisdiction);
        if (subject is not null) session.SetHeader(EventHeaders.Subject, subject.Value.ToString());
        return (session, messages);
    }

    /// <summary>Deadlines that the new events set are scheduled in the same transaction (Wolverine's durable outbox).</summary>
    private async Task Schedule(MessageContext messages, IEnumerable<object> events)
    {
        foreach (var timer in modules.TimersFor(events))
            await messages.ScheduleAsync(timer.Message, timer.At.ToDateTimeOffset());
    }
}

/// <summary>
/// The write path's one retry policy: a command that lost a race (the stream moved between its read and its commit, or
/// what it read before taking its locks changed) is decided again on what won, up to <see cref="Max"/> times.
/// </summary>
public static class Attempts
{
    public const int Max = 5;

    public static async Task<T> Run<T>(ILogger log, Guid? stream, Func<Task<T>> attempt)
    {
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt();
            }
            catch (ReadAgain again) when (n == Max)
            {
                throw ProblemException.Refused(again.Unsettled);
            }
            catch (Exception e) when (IsLostRace(e) && n < Max)
            {
                log.LogInformation("Stream {StreamId} changed under attempt {Attempt}; deciding again", stream, n);
            }
        }
    }

    /// <summary>Whether a commit failed because something it read changed first (Marten reports several at once as one aggregate).</summary>
    public static bool IsLostRace(Exception e) => e is AggregateException aggregate
        ? aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsLostRace)
        : e is ReadAgain or ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException;
}

/// <summary>What a command read before taking its locks has changed since: decide again.</summary>
public sealed class ReadAgain(RuleViolation unsettled) : Exception(unsettled.Detail)
{
    /// <summary>The answer when it keeps changing.</summary>
    public RuleViolation Unsettled { get; } = unsettled;
}
