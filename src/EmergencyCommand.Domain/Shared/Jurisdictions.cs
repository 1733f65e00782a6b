namespace EmergencyCommand.Domain.Shared;

public enum JurisdictionLevel { Nation, Province, City, County }

/// <summary>
/// GB/T 2260 administrative division codes: six digits, XX0000 a province, XXXX00 a prefecture city,
/// anything else a county-level district; 000000 is the nation. A code covers the codes below it.
/// </summary>
public static class Jurisdictions
{
    public const string Nation = "000000";

    private static readonly HashSet<string> ProvincePrefixes =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ];

    /// <summary>Null when the code is valid, otherwise why it is not.</summary>
    public static string? Problem(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return "a six-digit GB/T 2260 code is required";
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return $"'{code}' is not six digits";
        if (code == Nation) return null;
        if (!ProvincePrefixes.Contains(code[..2])) return $"'{code}' does not start with a known province prefix";
        if (code[2..4] == "00" && code[4..] != "00") return $"'{code}' names a district under no city";
        return null;
    }

    public static bool IsValid(string? code) => Problem(code) is null;

    public static JurisdictionLevel LevelOf(string code) =>
        code == Nation ? JurisdictionLevel.Nation
        : code.EndsWith("0000", StringComparison.Ordinal) ? JurisdictionLevel.Province
        : code.EndsWith("00", StringComparison.Ordinal) ? JurisdictionLevel.City
        : JurisdictionLevel.County;

    /// <summary>Whether <paramref name="outer"/> is <paramref name="inner"/> or lies above it.</summary>
    public static bool Covers(string outer, string inner) => LevelOf(outer) switch
    {
        JurisdictionLevel.Nation => true,
        JurisdictionLevel.Province => inner.StartsWith(outer[..2], StringComparison.Ordinal),
        JurisdictionLevel.City => inner.StartsWith(outer[..4], StringComparison.Ordinal),
        _ => outer == inner,
    };

    /// <summary>The prefix every code this one covers starts with ("" for the nation).</summary>
    public static string CoveredPrefix(string code) => LevelOf(code) switch
    {
        JurisdictionLevel.Nation => "",
        JurisdictionLevel.Province => code[..2],
        JurisdictionLevel.City => code[..4],
        _ => code,
    };

    /// <summary>The codes that cover this one, from the nation down, without itself.</summary>
    public static IEnumerable<string> Above(string code) => LevelOf(code) switch
    {
        JurisdictionLevel.Nation => [],
        JurisdictionLevel.Province => [Nation],
        JurisdictionLevel.City => [Nation, ProvinceOf(code)],
        _ => [Nation, ProvinceOf(code), code[..4] + "00"],
    };

    /// <summary>The province-level code that contains this one (itself for a province; the nation for 000000).</summary>
    public static string ProvinceOf(string code) => code == Nation ? Nation : code[..2] + "0000";

    /// <summary>The most local code that covers all of these (the nation when they lie in different provinces).</summary>
    public static string CommonRoot(IEnumerable<string> codes)
    {
        var list = codes.ToList();
        if (list.Count == 0) return Nation;
        if (list.Count == 1) return list[0];
        var city = list[0][..4] + "00";
        if (LevelOf(list[0]) != JurisdictionLevel.Province && list.All(c => c != Nation && LevelOf(c) != JurisdictionLevel.Province && c[..4] == list[0][..4]))
            return list.All(c => c == list[0]) ? list[0] : city;
        return list.All(c => c != Nation && c[..2] == list[0][..2]) ? ProvinceOf(list[0]) : Nation;
    }
}
