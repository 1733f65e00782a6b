using NodaTime;

namespace EmergencyCommand.Domain.GreenChannels;

/// <summary>What a vehicle presents at a checkpoint, as the server hands it to the rules.</summary>
/// <param name="Code">The code as typed, normalized (<see cref="PassCodes.Normalize"/>): compared only with the older, unhashed passes.</param>
/// <param name="CodeHash">The keyed hash of <paramref name="Code"/>: the server holds the key, the rules never do.</param>
/// <param name="VehiclePlate">The plate the officer sees on the vehicle.</param>
public sealed record PresentedPass(string Code, string CodeHash, string VehiclePlate);

/// <summary>Where and when a pass was last admitted.</summary>
public sealed record LastAdmission(string CheckpointCode, Instant At);

/// <summary>How fast a vehicle on a pass may plausibly move: a pass seen again sooner is in two vehicles.</summary>
/// <param name="TopSpeedKmh">The fastest a vehicle drives between two checkpoints whose positions along the corridor are known.</param>
public sealed record PassageRules(double TopSpeedKmh = 120)
{
    /// <summary>A pass admitted at a checkpoint is not admitted there again within this time.</summary>
    public static readonly Duration SameCheckpointGap = Duration.FromMinutes(10);

    /// <summary>Whether an admission at <paramref name="checkpoint"/> now is too soon after the last one to be the same vehicle.</summary>
    public bool TooSoon(GreenChannel channel, LastAdmission? last, string checkpoint, Instant now)
    {
        if (last is null) return false;
        var since = now - last.At;
        if (last.CheckpointCode == checkpoint) return since < SameCheckpointGap;
        if (channel.CheckpointAt(last.CheckpointCode)?.Kilometre is not { } from || channel.CheckpointAt(checkpoint)?.Kilometre is not { } to) return false;
        var fastest = Duration.FromHours(Math.Abs(to - from) / TopSpeedKmh);
        return since < fastest;
    }
}
