using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.GreenChannels;

public static class GreenChannelNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<GreenChannelOpened>(e => $"Green channel {e.Name} opened, {e.Origin} → {e.Destination}, {e.Checkpoints.Count} checkpoints",
            (e, _) => $"开通绿色通道“{e.Name}”：{e.Origin} → {e.Destination}，设 {e.Checkpoints.Count} 个检查站")
        // No plate or driver: narratives reach every reader.
        .On<PassIssued>(e => $"Pass {e.PassId} issued, valid until {CommandTime.Said(e.ValidUntil)}",
            (e, _) => $"签发通行证 {e.PassId}，有效期至 {CommandTime.Said(e.ValidUntil)}")
        .On<PassRevoked>(e => Narrative.Join($"Pass {e.PassId} revoked", e.Reason), (e, _) => Narrative.JoinZh($"吊销通行证 {e.PassId}", e.Reason), e => e.Reason)
        .On<ChannelDisrupted>(e => Narrative.Join("Channel disrupted", e.Reason), (e, _) => Narrative.JoinZh("通道中断", e.Reason), e => e.Reason)
        .On<ChannelRestored>(_ => "Channel restored", (_, _) => "通道恢复通行")
        .On<ChannelClosed>(e => Narrative.Join("Channel closed", e.Reason), (e, _) => Narrative.JoinZh("通道关闭", e.Reason), e => e.Reason)
        .On<CheckpointChecked>(c => $"Checkpoint {c.CheckpointCode}: {(c.Admitted ? "admitted" : $"refused ({(c.Reason is { } why ? Narrative.Words(why) : "no reason given")})")}",
            (c, w) => $"检查站 {c.CheckpointCode}：{(c.Admitted ? "放行" : $"拒绝通行（{(c.Reason is { } why ? w.Of(why) : "未说明原因")}）")}");
}
