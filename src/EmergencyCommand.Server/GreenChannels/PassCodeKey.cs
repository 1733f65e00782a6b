using System.Security.Cryptography;
using System.Text;
using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.GreenChannels;

/// <summary>
/// The secret that pass codes are hashed with (HMAC-SHA256 of the normalized code). It lives in configuration or a file,
/// never in the database: a copy of the database alone cannot test guesses against the stored hashes. Changing it makes
/// every outstanding code unknown at checkpoints (passes issued before codes were hashed still check by their plain code).
/// </summary>
public sealed class PassCodeKey
{
    public const string Setting = "GreenChannels:PassCodeKey";
    public const string FileSetting = "GreenChannels:PassCodeKeyFile";

    private readonly byte[] _key;

    private PassCodeKey(byte[] key) => _key = key;

    public string Hash(string normalizedCode) => Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(normalizedCode)));

    /// <summary>What a person presented, ready for the rules: the normalized code, its hash and the plate seen.</summary>
    public PresentedPass Present(string code, string plate)
    {
        var normalized = PassCodes.Normalize(code);
        return new PresentedPass(normalized, Hash(normalized), plate);
    }

    /// <summary>
    /// The configured key (<c>GreenChannels:PassCodeKeyFile</c> wins over <c>GreenChannels:PassCodeKey</c>), at least 32 bytes.
    /// Without one, Development and Demo get a key for this process only; any other environment refuses to start.
    /// </summary>
    public static PassCodeKey From(IConfiguration config, string environment)
    {
        var text = Configured(config);
        if (string.IsNullOrEmpty(text))
        {
            // A key for this process only: codes issued now stop checking at the next start.
            if (new[] { "Development", "Demo" }.Contains(environment, StringComparer.OrdinalIgnoreCase)) return new PassCodeKey(RandomNumberGenerator.GetBytes(32));
            throw new InvalidOperationException(
                $"{Setting} is not set: pass codes are stored only as hashes under a secret kept outside the database. Give at least 32 bytes " +
                $"(environment variable {Setting.Replace(":", "__")}, or {FileSetting.Replace(":", "__")} naming a file).");
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length < 32)
            throw new InvalidOperationException($"{Setting} must be at least 32 bytes (environment variable {Setting.Replace(":", "__")}, or {FileSetting.Replace(":", "__")}).");
        return new PassCodeKey(bytes);
    }

    /// <summary>
    /// Refuses a pass code key published in this repository (the demo key in <c>appsettings.Demo.json</c>) on a server that
    /// listens beyond this machine: with it, anyone holding a copy of the database could find the codes of live passes.
    /// </summary>
    public static void RefusePublishedKeyBeyondLoopback(IConfiguration config, string contentRoot) =>
        Listening.RefusePublished(config, contentRoot, Setting, Configured(config), "pass code key",
            "anyone holding a copy of the database could find the codes of live passes",
            $"{Setting.Replace(":", "__")} or {FileSetting.Replace(":", "__")}");

    private static string? Configured(IConfiguration config) =>
        config[FileSetting] is { Length: > 0 } file ? File.ReadAllText(file).Trim() : config[Setting];
}
