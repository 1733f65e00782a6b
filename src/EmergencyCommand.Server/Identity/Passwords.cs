using EmergencyCommand.Domain.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// Password hashes by ASP.NET Core Identity's hasher (PBKDF2, per-user salt) at OWASP's strength, and the password
/// policy. Checking a password for a user who does not exist costs the same as for one who does, so answers do not
/// tell which user names exist.
/// </summary>
public sealed class Passwords
{
    /// <summary>OWASP's 2023+ figure for PBKDF2 (it asks 600,000 for SHA-256; Identity's V3 format uses HMAC-SHA512).</summary>
    public const int Iterations = 600_000;

    private readonly PasswordHasher<UserAccount> _hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3, IterationCount = Iterations,
    }));

    private readonly string _decoy;
    private readonly int _minimumLength;

    public Passwords(IOptions<AuthOptions> options)
    {
        _minimumLength = options.Value.MinimumPasswordLength;
        _decoy = Hash("a password nobody has, to spend the same time on an unknown user");
    }

    public string Hash(string password) => _hasher.HashPassword(null!, password);

    /// <summary>Whether <paramref name="password"/> matches; with no hash (no such user) the same work is done and the answer is no.</summary>
    public bool Verify(string? hash, string password)
    {
        var result = _hasher.VerifyHashedPassword(null!, hash ?? _decoy, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }

    /// <summary>Null when the password may be used by this user, otherwise why not.</summary>
    public string? Problem(string? password, string username)
    {
        if (string.IsNullOrEmpty(password)) return "is required";
        if (password.Length < _minimumLength) return $"must be at least {_minimumLength} characters";
        if (password.Length > 200) return "must be at most 200 characters";
        if (string.Equals(password.Trim(), username.Trim(), StringComparison.OrdinalIgnoreCase)) return "must not be the user name";
        return null;
    }
}
