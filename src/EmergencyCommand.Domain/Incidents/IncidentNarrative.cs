using EmergencyCommand.Domain.Shared;
using static EmergencyCommand.Domain.Shared.Narrative;

namespace EmergencyCommand.Domain.Incidents;

/// <summary>One plain sentence per incident fact, for timelines and review reports, and the reason given with it.</summary>
public static class IncidentNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<IncidentReported>(e => $"{Capitalised(Words(e.Category))} incident reported via {Words(e.Source)} in {e.Jurisdiction}: {e.Title}",
            (e, w) => $"{PlaceZh(e.Jurisdiction)} 经{w.Of(e.Source)}上报{w.Of(e.Category)}：{e.Title}")
        .On<IncidentVerified>(e => Join("Verified", e.Note), (e, _) => JoinZh("已核实", e.Note), e => e.Note)
        .On<IncidentDismissed>(e => Join("Dismissed", e.Reason), (e, _) => JoinZh("已排除", e.Reason), e => e.Reason)
        .On<IncidentGraded>(e => Join($"Graded severity {e.Severity}", e.Rationale), (e, w) => JoinZh($"定级为{w.Of(e.Severity)}", e.Rationale), e => e.Rationale)
        .On<TaskDispatched>(e => $"Task dispatched to {e.Department}, due {CommandTime.Said(e.DueAt)}: {e.Instruction}",
            (e, _) => $"向{e.Department}派发任务，限 {CommandTime.Said(e.DueAt)} 前完成：{e.Instruction}")
        .On<TaskAcknowledged>(e => $"Task {e.TaskId} acknowledged", (e, _) => $"任务 {e.TaskId} 已签收")
        .On<TaskCompleted>(e => Join($"Task {e.TaskId} completed", e.Outcome), (e, _) => JoinZh($"任务 {e.TaskId} 已完成", e.Outcome), e => e.Outcome)
        .On<SitrepFiled>(e => Join($"Sitrep: {e.Dead} dead, {e.Injured} injured, {e.Missing} missing, {e.Affected} affected", e.Note),
            (e, _) => JoinZh($"报送现场情况，死亡 {e.Dead} 人、受伤 {e.Injured} 人、失联 {e.Missing} 人、受影响 {e.Affected} 人", e.Note), e => e.Note)
        .On<FeedbackGiven>(e => Join("Feedback given", e.Summary), (e, _) => JoinZh("已反馈", e.Summary), e => e.Summary)
        .On<IncidentClosed>(e => Join(e.FeedbackWaiver is null ? "Closed" : $"Closed without feedback ({e.FeedbackWaiver})", e.Summary),
            (e, _) => JoinZh(e.FeedbackWaiver is null ? "已办结" : $"办结，免予反馈（{e.FeedbackWaiver}）", e.Summary), e => e.Summary)
        .On<IncidentMerged>(e => Join($"Merged into incident {e.IntoIncidentId}", e.Rationale), (e, _) => JoinZh($"并入事件 {e.IntoIncidentId}", e.Rationale), e => e.Rationale)
        .On<DuplicateAbsorbed>(e => Join($"Duplicate report {e.DuplicateId} merged into this incident", e.Rationale),
            (e, _) => JoinZh($"重复上报 {e.DuplicateId} 已并入本事件", e.Rationale), e => e.Rationale)
        .On<TaskBecameOverdue>(e => $"Task {e.TaskId} overdue since {CommandTime.Said(e.DueAt)}; escalated to {e.EscalatedTo ?? "no commander on record"}",
            (e, _) => $"任务 {e.TaskId} 已于 {CommandTime.Said(e.DueAt)} 超时；{(e.EscalatedTo is { } to ? $"已提请 {to} 督办" : "未找到可提请督办的指挥员")}");
}
