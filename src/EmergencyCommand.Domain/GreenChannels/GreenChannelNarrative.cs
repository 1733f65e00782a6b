using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.GreenChannels;

public static class GreenChannelNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<GreenChannelOpened>(e => $"Green channel {e.Name} opened, {e.Origin} → {e.Destination}, {e.Checkpoints.Count} checkpoints")
        .On<PassIssued>(e => $"Pass {e.PassId} issued, valid until {CommandTime.Said(e.ValidUntil)}") // no plate or driver: narratives reach every reader
        .On<PassRevoked>(e => Narrative.Join($"Pass {e.PassId} revoked", e.Reason), e => e.Reason)
        .On<ChannelDisrupted>(e => Narrative.Join("Channel disrupted", e.Reason), e => e.Reason)
        .On<ChannelRestored>(_ => "Channel restored")
        .On<ChannelClosed>(e => Narrative.Join("Channel closed", e.Reason), e => e.Reason)
        .On<CheckpointChecked>(c => $"Checkpoint {c.CheckpointCode}: {(c.Admitted ? "admitted" : $"refused ({c.Reason})")}");
}
