using System.Security.Cryptography;
using System.Text;
using EmergencyCommand.Server.Platform;
using Microsoft.IdentityModel.Tokens;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// The keys that sign access tokens: the current one signs (its id goes into every token's header), previous ones still
/// verify the tokens they signed until those expire. Keys come from configuration or a file, never from the database.
/// </summary>
public sealed class SigningKeys
{
    private SigningKeys(SymmetricSecurityKey current, IReadOnlyList<SymmetricSecurityKey> all)
    {
        Current = current;
        All = all;
    }

    public SymmetricSecurityKey Current { get; }
    public IReadOnlyList<SymmetricSecurityKey> All { get; }

    public SigningCredentials Credentials => new(Current, SecurityAlgorithms.HmacSha256);

    public static SigningKeys From(AuthOptions options)
    {
        var current = Key(options.SigningKeyId, options.SigningKey, options.SigningKeyFile, "Auth:SigningKey");
        var previous = options.PreviousSigningKeys.Select((k, i) => Key(k.Id, k.Key, k.KeyFile, $"Auth:PreviousSigningKeys:{i}")).ToList();
        return new SigningKeys(current, [current, .. previous]);
    }

    private static SymmetricSecurityKey Key(string? id, string? value, string? file, string name)
    {
        var text = !string.IsNullOrEmpty(file) ? File.ReadAllText(file).Trim() : value ?? "";
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length < 32)
            throw new InvalidOperationException($"{name} must be at least 32 bytes (environment variable {name.Replace(":", "__")}, or {name}File naming a file).");
        return new SymmetricSecurityKey(bytes) { KeyId = string.IsNullOrWhiteSpace(id) ? DerivedId(bytes) : id };
    }

    /// <summary>A key's default id: the start of its SHA-256, which names it without revealing it.</summary>
    private static string DerivedId(byte[] key) => Convert.ToHexString(SHA256.HashData(key))[..12].ToLowerInvariant();

    /// <summary>
    /// Refuses a signing key published in this repository (the demo key in <c>appsettings.Demo.json</c>, say) on a server
    /// that listens beyond this machine: anyone could mint tokens for it.
    /// </summary>
    public static void RefusePublishedKeyBeyondLoopback(AuthOptions options, IConfiguration config, string contentRoot) =>
        Listening.RefusePublished(config, contentRoot, "Auth:SigningKey",
            !string.IsNullOrEmpty(options.SigningKeyFile) ? File.ReadAllText(options.SigningKeyFile).Trim() : options.SigningKey,
            "token signing key", "anyone could sign tokens for it", "Auth__SigningKey or Auth__SigningKeyFile");
}
