using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.GreenChannels;

public enum ChannelStatus { Open, Disrupted, Closed }

public enum PassStatus { Valid, Revoked }

/// <param name="CodeHash">The keyed hash of the pass's code (hex).</param>
/// <param name="LegacyCode">The plain code of a pass issued before codes were hashed (see <see cref="PassIssued"/>); null otherwise.</param>
public sealed record VehiclePass(Guid Id, string? CodeHash, string? LegacyCode, string VehiclePlate, string Driver, IReadOnlyList<string> Cargo,
    Instant ValidUntil, PassStatus Status)
{
    /// <summary>Whether the presented code is this pass's, compared in fixed time whichever way the pass keeps it.</summary>
    public bool Matches(PresentedPass presented) =>
        CodeHash is not null ? PassCodes.SameText(CodeHash, presented.CodeHash)
        : LegacyCode is not null && PassCodes.SameText(PassCodes.Normalize(LegacyCode), presented.Code);
}

public sealed record GreenChannel(
    Guid Id, string Name, string Origin, string Destination, IReadOnlyList<Checkpoint> Checkpoints, Instant ValidFrom, Instant ValidUntil,
    IReadOnlyList<string> Cargo, string Jurisdiction, ChannelStatus Status, ImmutableList<VehiclePass> Passes) : IJurisdictional
{
    public VehiclePass? Pass(Guid id) => Passes.Find(p => p.Id == id);

    /// <summary>The pass the presented code belongs to; every pass is compared, so the time taken does not tell which.</summary>
    public VehiclePass? PassByCode(PresentedPass presented) =>
        Passes.Aggregate((VehiclePass?)null, (found, pass) => pass.Matches(presented) && found is null ? pass : found);

    public Checkpoint? CheckpointAt(string code) => Checkpoints.FirstOrDefault(c => c.Code == code);

    public static GreenChannel? Evolve(GreenChannel? state, object @event) => (state, @event) switch
    {
        (null, GreenChannelOpened e) => new GreenChannel(e.ChannelId, e.Name, e.Origin, e.Destination, e.Checkpoints, e.ValidFrom, e.ValidUntil,
            e.Cargo, e.Jurisdiction, ChannelStatus.Open, []),
        (null, _) => null,
        (_, PassIssued e) => state with { Passes = state.Passes.Add(new VehiclePass(e.PassId, e.PassCodeHash, e.PassCodeHash is null ? e.PassCode : null, e.VehiclePlate, e.Driver, e.Cargo, e.ValidUntil, PassStatus.Valid)) },
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

    /// <summary>The last four symbols of what was presented: enough to tell codes apart in a record, too little to use one.</summary>
    public static string Ending(string? code)
    {
        var raw = Normalize(code).Replace("-", "");
        return raw.Length >= 4 ? raw[^4..] : "";
    }

    /// <summary>What stands for a code wherever one is read back: its last four symbols only.</summary>
    public static string Mask(string? code) => Ending(code) is { Length: 4 } ending ? $"••••-••••-{ending}" : "withheld";

    /// <summary>Compares two texts in a time that depends only on their lengths.</summary>
    public static bool SameText(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

/// <summary>Number plates as an officer reads them: case, spaces, dashes and dots do not count.</summary>
public static class Plates
{
    public static string Normalize(string? plate) => new((plate ?? "").ToUpperInvariant().Where(char.IsLetterOrDigit).ToArray());
}
