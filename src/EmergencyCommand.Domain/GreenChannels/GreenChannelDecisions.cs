using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.GreenChannels;

public static class GreenChannelDecisions
{
    /// <param name="codeHash">The keyed hash of the new code: the code itself never reaches the log.</param>
    public static Decision IssuePass(GreenChannel channel, Guid passId, string codeHash, string plate, string driver,
        IReadOnlyList<string> cargo, Instant validUntil, Instant now)
    {
        if (channel.Status == ChannelStatus.Closed) return Decision.Reject("channel-not-closed", "The channel is closed; it issues no passes.");
        if (validUntil > channel.ValidUntil)
            return Decision.Reject("pass-within-channel", $"A pass cannot outlive its channel (valid until {CommandTime.Said(channel.ValidUntil)}).");
        var refused = cargo.Where(c => channel.Cargo.Count > 0 && !channel.Cargo.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        if (refused.Count > 0)
            return Decision.Reject("cargo-admitted", $"The channel does not admit {string.Join(", ", refused)}; it admits {string.Join(", ", channel.Cargo)}.");
        return Decision.Accept(new PassIssued(channel.Id, passId, null, plate, driver, cargo, validUntil, now, codeHash));
    }

    public static Decision RevokePass(GreenChannel channel, Guid passId, string reason, Instant now) =>
        channel.Pass(passId)!.Status == PassStatus.Revoked
            ? Decision.Reject("revoke-once", "The pass is already revoked.")
            : Decision.Accept(new PassRevoked(channel.Id, passId, reason, now));

    public static Decision Disrupt(GreenChannel channel, string reason, Instant now) => channel.Status == ChannelStatus.Open
        ? Decision.Accept(new ChannelDisrupted(channel.Id, reason, now))
        : Decision.Reject("disrupt-open", $"Only an open channel can be disrupted; this one is {channel.Status}.");

    public static Decision Restore(GreenChannel channel, Instant now) => channel.Status == ChannelStatus.Disrupted
        ? Decision.Accept(new ChannelRestored(channel.Id, now))
        : Decision.Reject("restore-disrupted", $"Only a disrupted channel can be restored; this one is {channel.Status}.");

    public static Decision Close(GreenChannel channel, string reason, Instant now) => channel.Status == ChannelStatus.Closed
        ? Decision.Reject("close-once", "The channel is already closed.")
        : Decision.Accept(new ChannelClosed(channel.Id, reason, now));

    /// <summary>Always a recorded check: admitted, or refused with the first reason that applies.</summary>
    /// <param name="lastAdmitted">When the presented pass was last admitted at each checkpoint where it was (empty if never).</param>
    public static CheckpointChecked Check(GreenChannel channel, string checkpointCode, PresentedPass presented, IReadOnlyDictionary<string, Instant> lastAdmitted,
        PassageRules rules, Instant now)
    {
        var pass = channel.PassByCode(presented);
        CheckRefusal? refusal =
            channel.CheckpointAt(checkpointCode) is null ? CheckRefusal.UnknownCheckpoint
            : channel.Status == ChannelStatus.Closed ? CheckRefusal.ChannelClosed
            : channel.Status == ChannelStatus.Disrupted ? CheckRefusal.ChannelDisrupted
            : pass is null ? CheckRefusal.UnknownPass
            : pass.Status == PassStatus.Revoked ? CheckRefusal.Revoked
            : now < channel.ValidFrom ? CheckRefusal.ChannelNotYetValid
            : now > pass.ValidUntil || now > channel.ValidUntil ? CheckRefusal.Expired
            : Plates.Normalize(pass.VehiclePlate) != Plates.Normalize(presented.VehiclePlate) ? CheckRefusal.PlateMismatch
            : rules.TooSoon(channel, lastAdmitted, checkpointCode, now) ? CheckRefusal.DuplicateUse
            : null;
        var plate = Plates.Normalize(presented.VehiclePlate);
        return new CheckpointChecked(channel.Id, checkpointCode, PassCodes.Ending(presented.Code), plate.Length > 20 ? plate[..20] : plate,
            pass?.Id, refusal is null, refusal, now);
    }
}
