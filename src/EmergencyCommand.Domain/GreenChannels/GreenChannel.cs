using System.Collections.Immutable;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.GreenChannels;

public enum ChannelStatus { Open, Disrupted, Closed }

public enum PassStatus { Valid, Revoked }

public sealed record VehiclePass(Guid Id, string Code, string VehiclePlate, string Driver, IReadOnlyList<string> Cargo, Instant ValidUntil, PassStatus Status);

public sealed record GreenChannel(
    Guid Id, string Name, string Origin, string Destination, IReadOnlyList<Checkpoint> Checkpoints, Instant ValidFrom, Instant ValidUntil,
    IReadOnlyList<string> Cargo, string Jurisdiction, ChannelStatus Status, ImmutableList<VehiclePass> Passes) : IJurisdictional
{
    public VehiclePass? Pass(Guid id) => Passes.Find(p => p.Id == id);

    public VehiclePass? PassByCode(string code) => Passes.Find(p => string.Equals(p.Code, PassCodes.Normalize(code), StringComparison.Ordinal));

    public static GreenChannel? Evolve(GreenChannel? state, object @event) => (state, @event) switch
    {
        (null, GreenChannelOpened e) => new GreenChannel(e.ChannelId, e.Name, e.Origin, e.Destination, e.Checkpoints, e.ValidFrom, e.ValidUntil,
            e.Cargo, e.Jurisdiction, ChannelStatus.Open, []),
        (null, _) => null,
        (_, PassIssued e) => state with { Passes = state.Passes.Add(new VehiclePass(e.PassId, e.PassCode, e.VehiclePlate, e.Driver, e.Cargo, e.ValidUntil, PassStatus.Valid)) },
        (_, PassRevoked e) => state with { Passes = state.Passes.Select(p => p.Id == e.PassId ? p with { Status = PassStatus.Revoked } : p).ToImmutableList() },
        (_, ChannelDisrupted) => state with { Status = ChannelStatus.Disrupted },
        (_, ChannelRestored) => state with { Status = ChannelStatus.Open },
        (_, ChannelClosed) => state with { Status = ChannelStatus.Closed },
        _ => state,
    };

    public static GreenChannel? Replay(IEnumerable<object> events) => events.Aggregate((GreenChannel?)null, Evolve);
}

/// <summary>
/// Pass codes are read over a radio: 12 characters of Crockford base32 (no I, L, O or U), shown in groups of four,
/// 60 random bits. At a thousand guesses a second, finding any one of a thousand live passes takes over thirty years.
/// </summary>
public static class PassCodes
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Formats 12 random symbols (each 0–31) as XXXX-XXXX-XXXX.</summary>
    public static string Format(ReadOnlySpan<byte> symbols)
    {
        var chars = new char[14];
        for (int i = 0, j = 0; i < 12; i++)
        {
            if (i is 4 or 8) chars[j++] = '-';
            chars[j++] = Alphabet[symbols[i] & 31];
        }
        return new string(chars);
    }

    /// <summary>Reads what a person typed or said: case, spaces and the look-alikes O/I/L are forgiven.</summary>
    public static string Normalize(string? code)
    {
        var raw = new string((code ?? "").ToUpperInvariant().Where(char.IsLetterOrDigit).Select(c => c switch { 'O' => '0', 'I' or 'L' => '1', _ => c }).ToArray());
        return raw.Length == 12 ? $"{raw[..4]}-{raw[4..8]}-{raw[8..]}" : raw;
    }
}
