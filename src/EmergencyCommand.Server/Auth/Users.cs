using System.Security.Cryptography;
using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Auth;

/// <summary>A user as configured under <c>Auth:Users</c> (and, with the demo configuration on, <c>Demo:Users</c>).</summary>
public sealed class ConfiguredUser
{
    public string Username { get; set; } = "";
    /// <summary><c>PBKDF2-SHA256$iterations$salt$hash</c>, base64 parts; see <see cref="PasswordHash"/>.</summary>
    public string PasswordHash { get; set; } = "";
    public List<Role> Roles { get; set; } = [];
    public List<string> Jurisdictions { get; set; } = [];
}

public sealed class AuthOptions
{
    public string Issuer { get; set; } = "EmergencyCommand";
    /// <summary>HMAC-SHA256 key for access tokens; at least 32 bytes. Keep it out of the database and of git in production.</summary>
    public string SigningKey { get; set; } = "";
    public int TokenLifetimeMinutes { get; set; } = 480;
    public List<ConfiguredUser> Users { get; set; } = [];
}

public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    public List<ConfiguredUser> Users { get; set; } = [];
}

public sealed class UserDirectory
{
    private readonly Dictionary<string, ConfiguredUser> _users;

    public UserDirectory(IEnumerable<ConfiguredUser> users)
    {
        _users = new(StringComparer.OrdinalIgnoreCase);
        foreach (var user in users)
        {
            foreach (var j in user.Jurisdictions)
                if (Domain.Shared.Jurisdictions.Problem(j) is { } problem)
                    throw new InvalidOperationException($"User '{user.Username}': jurisdiction {problem}.");
            _users[user.Username] = user;
        }
    }

    public int Count => _users.Count;

    /// <summary>The commander closest to <paramref name="jurisdiction"/>: the most local one whose jurisdiction covers it.</summary>
    public string? CommanderFor(string jurisdiction) => _users.Values
        .Where(u => u.Roles.Contains(Role.Commander))
        .SelectMany(u => u.Jurisdictions.Where(j => Domain.Shared.Jurisdictions.Covers(j, jurisdiction)).Select(j => (u.Username, Level: Domain.Shared.Jurisdictions.LevelOf(j))))
        .OrderByDescending(x => x.Level).ThenBy(x => x.Username, StringComparer.Ordinal)
        .Select(x => x.Username)
        .FirstOrDefault();

    public ConfiguredUser? SignIn(string username, string password) =>
        _users.TryGetValue(username, out var user) && PasswordHash.Verify(password, user.PasswordHash) ? user : null;
}

public static class PasswordHash
{
    private const int Iterations = 100_000;

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"PBKDF2-SHA256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not ["PBKDF2-SHA256", var iterations, var salt, var hash] || !int.TryParse(iterations, out var n))
            return false;
        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(salt), n, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
