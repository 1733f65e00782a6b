using NodaTime;

namespace EmergencyCommand.Domain.GreenChannels;

/// <summary>What a vehicle presents at a checkpoint, as the server hands it to the rules.</summary>
/// <param name="Code">The code as typed, normalized (<see cref="PassCodes.Normalize"/>): compared only with the older, unhashed passes.</param>
/// <param name="CodeHash">The keyed hash of <paramref name="Code"/>: the server holds the key, the rules never do.</param>
/// <param name="VehiclePlate">The plate the officer sees on the vehicle.</param>
public sealed record PresentedPass(string Code, string CodeHash, string VehiclePlate);

/// <summary>How fast a vehicle on a pass may plausibly move: a pass seen again sooner is in two vehicles.</summary>
/// <param name="TopSpeedKmh">The fastest a vehicle drives between two checkpoints whose positions along the corridor are known.</param>
public sealed record PassageRules(double TopSpeedKmh = 120)
{
    /// <summary>A pass admitted at a checkpoint is not admitted there again within this time.</summary>
    public static readonly Duration SameCheckpointGap = Duration.FromMinutes(10);

    /// <summary>Whether an admission at <paramref name="checkpoint"/> now is too soon after an earlier one to be the same vehicle.</summary>
    /// <param name="lastAdmitted">When the pass was last admitted at each checkpoint where it was.</param>
    public bool TooSoon(GreenChannel channel, IReadOnlyDictionary<string, Instant> lastAdmitted, string checkpoint, Instant now) =>
        lastAdmitted.Any(last => last.Key == checkpoint
            ? now - last.Value < SameCheckpointGap
            : Distance(channel, last.Key, checkpoint) is { } km && now - last.Value < Duration.FromHours(km / TopSpeedKmh));

    private static double? Distance(GreenChannel channel, string from, string to) =>
        channel.CheckpointAt(from)?.Kilometre is { } a && channel.CheckpointAt(to)?.Kilometre is { } b ? Math.Abs(b - a) : null;
}
