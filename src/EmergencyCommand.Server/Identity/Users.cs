using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Identity;

/// <summary>A user given in configuration: registered once, at start-up, when the directory does not know them yet.</summary>
public sealed class ConfiguredUser
{
    public string Username { get; set; } = "";
    public string? DisplayName { get; set; }
    /// <summary>An ASP.NET Core Identity password hash (<c>ops/ec hash-password</c> makes one).</summary>
    public string PasswordHash { get; set; } = "";
    public List<Role> Roles { get; set; } = [];
    public List<string> Jurisdictions { get; set; } = [];
}

/// <summary>A signing key that no longer signs but still verifies the tokens it signed until they expire.</summary>
public sealed class PreviousSigningKey
{
    public string Id { get; set; } = "";
    public string Key { get; set; } = "";
    public string? KeyFile { get; set; }
}

public sealed class AuthOptions
{
    public string Issuer { get; set; } = "EmergencyCommand";
    /// <summary>HMAC-SHA256 key for access tokens, at least 32 bytes; or <see cref="SigningKeyFile"/>. Never in the database.</summary>
    public string SigningKey { get; set; } = "";
    public string? SigningKeyFile { get; set; }
    /// <summary>The key's id in every token's header (default: derived from the key).</summary>
    public string? SigningKeyId { get; set; }
    public List<PreviousSigningKey> PreviousSigningKeys { get; set; } = [];
    /// <summary>Access tokens live at most 15 minutes.</summary>
    public int AccessTokenMinutes { get; set; } = 15;
    /// <summary>A refresh token lasts a shift; each use replaces it.</summary>
    public int RefreshTokenHours { get; set; } = 12;
    public int MinimumPasswordLength { get; set; } = 12;
    /// <summary>How long a request may act on what the directory said of its user (roles, jurisdictions, disabled).</summary>
    public int DirectoryCacheSeconds { get; set; } = 5;
    /// <summary>How often an open console (a circuit) checks again that its sign-in still holds.</summary>
    public int ConsoleRecheckSeconds { get; set; } = 30;
    public int MaxFailuresPerUser { get; set; } = 5;
    public int MaxFailuresPerAddress { get; set; } = 20;
    public int FailureWindowMinutes { get; set; } = 5;
    /// <summary>Registered at start-up when unknown: the first Administrator of a new installation.</summary>
    public List<ConfiguredUser> Users { get; set; } = [];
}

public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    public List<ConfiguredUser> Users { get; set; } = [];
}
