using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Review;

/// <summary>An event as the log recorded it: when, by whom, on which stream.</summary>
public sealed record RecordedEvent(long Sequence, Instant At, string? Actor, Guid StreamId, object Data);

public sealed record ReviewEntry(long Sequence, Instant At, string Type, string? Actor, string Summary, string? Rationale);

/// <summary>A span reviewers look for; <c>To</c> is null while it is still open at the end of the report.</summary>
public sealed record ReviewInterval(string Kind, string Subject, Instant From, Instant? To, Duration? Length);

public sealed record ReviewReport(string Title, Instant? From, Instant? To, IReadOnlyList<ReviewEntry> Timeline, IReadOnlyList<ReviewInterval> Intervals);

/// <summary>
/// Builds a post-incident review from recorded events: the timeline with actors and rationales, and the intervals
/// that tell how fast the loop closed (report → verification → first dispatch → completion, level periods,
/// request → allocation → delivery, overdue tasks).
/// </summary>
public static class ReviewReports
{
    /// <param name="narrative">How each fact is told, and the reason given with it (every feature's narrative, combined).</param>
    /// <param name="words">The reader's words when they read Chinese; null for English.</param>
    public static ReviewReport Build(string title, IReadOnlyList<RecordedEvent> events, Narrative narrative, Instant? from = null, Instant? to = null,
        IWords? words = null)
    {
        var ordered = events.OrderBy(e => e.Sequence).ToList();
        var timeline = ordered.Select(e => new ReviewEntry(e.Sequence, e.At, e.Data.GetType().Name, e.Actor, narrative.Summarize(e.Data, words),
            narrative.RationaleOf(e.Data))).ToList();
        return new ReviewReport(title, from, to, timeline, Intervals(ordered));
    }

    /// <summary>A span's kind as a Chinese review names it (every kind <see cref="Intervals"/> closes).</summary>
    public static string KindZh(string kind) => kind switch
    {
        "report→verification" => "上报→核实",
        "verification→first dispatch" => "核实→首次派发",
        "dispatch→completion" => "派发→完成",
        "overdue task (due→escalation)" => "任务超时（到期→督办）",
        "request→first allocation" => "需求→首次分配",
        "request→delivery" => "需求→送达",
        _ when kind.StartsWith("level ", StringComparison.Ordinal) && kind.EndsWith(" in force", StringComparison.Ordinal)
            && Enum.TryParse<ResponseLevel>(kind["level ".Length..^" in force".Length], out var level)
            => $"{ResponseLevelNarrative.Roman(level)}级响应期间",
        _ => kind,
    };

    private static List<ReviewInterval> Intervals(List<RecordedEvent> events)
    {
        var intervals = new List<ReviewInterval>();
        var reported = new Dictionary<Guid, (Instant At, string Title)>();
        var verified = new Dictionary<Guid, Instant>();
        var firstDispatch = new HashSet<Guid>();
        var tasks = new Dictionary<Guid, (Instant At, string Department, Instant Due)>();
        var requests = new Dictionary<Guid, (Instant At, string Requester)>();
        var firstAllocation = new HashSet<Guid>();
        var levels = new Dictionary<string, (ResponseLevel? Level, Instant From)>();
        // What each change replaced, newest on top: superseding two scheduled changes withdraws both, in turn.
        var before = new Dictionary<string, Stack<(ResponseLevel? Level, Instant From)>>();

        void Close(string kind, string subject, Instant start, Instant? end) =>
            intervals.Add(new ReviewInterval(kind, subject, start, end, end - start));

        foreach (var e in events)
        {
            switch (e.Data)
            {
                case IncidentReported r: reported[r.IncidentId] = (e.At, r.Title); break;
                case IncidentVerified v when reported.TryGetValue(v.IncidentId, out var rep):
                    verified[v.IncidentId] = e.At;
                    Close("report→verification", rep.Title, rep.At, e.At);
                    break;
                case TaskDispatched d:
                    tasks[d.TaskId] = (e.At, d.Department, d.DueAt);
                    if (verified.TryGetValue(d.IncidentId, out var ver) && firstDispatch.Add(d.IncidentId))
                        Close("verification→first dispatch", reported.GetValueOrDefault(d.IncidentId).Title ?? d.IncidentId.ToString(), ver, e.At);
                    break;
                case TaskCompleted c when tasks.Remove(c.TaskId, out var task):
                    Close("dispatch→completion", task.Department, task.At, e.At);
                    break;
                case TaskBecameOverdue o:
                    Close("overdue task (due→escalation)", tasks.GetValueOrDefault(o.TaskId).Department ?? o.TaskId.ToString(), o.DueAt, e.At);
                    break;
                case ResponseLevelDeclared l: Level(l.Jurisdiction, l.Level, l.EffectiveAt); break;
                case ResponseLevelEscalated l: Level(l.Jurisdiction, l.To, l.EffectiveAt); break;
                case ResponseLevelDeescalated l: Level(l.Jurisdiction, l.To, l.EffectiveAt); break;
                case ResponseLevelTerminated l: Level(l.Jurisdiction, null, l.EffectiveAt); break;
                case ScheduledChangeSuperseded l: Withdraw(l.Jurisdiction, l.ScheduledFor); break;
                case SupplyRequested s: requests[s.RequestId] = (e.At, s.Requester); break;
                case SuppliesAllocated a when requests.TryGetValue(a.RequestId, out var req) && firstAllocation.Add(a.RequestId):
                    Close("request→first allocation", req.Requester, req.At, e.At);
                    break;
                case SuppliesDelivered d when requests.TryGetValue(d.RequestId, out var req):
                    Close("request→delivery", req.Requester, req.At, e.At);
                    break;
            }
        }
        foreach (var (jurisdiction, (level, since)) in levels.Where(l => l.Value.Level is not null))
            Close($"level {level} in force", jurisdiction, since, null);
        foreach (var (_, task) in tasks) Close("dispatch→completion", task.Department, task.At, null);
        return intervals;

        void Level(string jurisdiction, ResponseLevel? level, Instant effective)
        {
            if (!before.TryGetValue(jurisdiction, out var replaced)) before[jurisdiction] = replaced = new();
            if (levels.TryGetValue(jurisdiction, out var previous))
            {
                if (previous.Level is not null) Close($"level {previous.Level} in force", jurisdiction, previous.From, effective);
                replaced.Push(previous);
            }
            else replaced.Clear();
            levels[jurisdiction] = (level, effective);
        }

        // A superseded change never took effect: the level before it is in force again, its interval open.
        void Withdraw(string jurisdiction, Instant scheduledFor)
        {
            if (!levels.TryGetValue(jurisdiction, out var withdrawn) || withdrawn.From != scheduledFor) return;
            if (before.TryGetValue(jurisdiction, out var replaced) && replaced.TryPop(out var previous))
            {
                levels[jurisdiction] = previous;
                if (previous.Level is not null)
                    intervals.RemoveAll(i => i.Subject == jurisdiction && i.Kind == $"level {previous.Level} in force" && i.To == scheduledFor);
            }
            else levels.Remove(jurisdiction);
        }
    }
}
