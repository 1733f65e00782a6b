using System.Security.Cryptography;
using System.Text;
using EmergencyCommand.Server.Platform;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// Signs anchors with an ECDSA P-256 key whose private half lives in configuration or a file, never in the database it
/// vouches for; anyone holding the public key checks them, without any secret of the server's. The key is read when
/// the first anchor is signed, so the offline command line never needs it.
/// </summary>
public sealed class AnchorSigner(IOptions<AuditOptions> options, IHostEnvironment environment) : IDisposable
{
    public const string Algorithm = "ECDSA-P256-SHA256";
    public const string GeneratedKeyName = "anchor-signing-key.pem";

    private readonly Lazy<ECDsa?> _key = new(() => Load(options.Value, environment));

    /// <summary>The public key as PEM (SubjectPublicKeyInfo); 503 when no signing key is configured.</summary>
    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    public string KeyId => KeyIdOf(Key);

    /// <summary>
    /// The public key that checks an anchor naming <paramref name="keyId"/>: a previous key kept after a rotation
    /// (<see cref="AuditOptions.PreviousPublicKeyFiles"/>, read at each check, so a file fixed needs no restart), or the
    /// current key (also when the anchor names none); null, with why, for a key this server does not know.
    /// </summary>
    public (ECDsa? Key, string? Unknown) PublicKeyNamed(string? keyId)
    {
        var unreadable = new List<string>();
        if (keyId is not null)
            foreach (var file in options.Value.PreviousPublicKeyFiles)
            {
                ECDsa key;
                try
                {
                    key = PublicKeyFrom(File.ReadAllText(file));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    unreadable.Add($"{file} ({e.Message})");
                    continue;
                }
                if (string.Equals(KeyIdOf(key), keyId, StringComparison.OrdinalIgnoreCase)) return (key, null);
                key.Dispose();
            }
        if (keyId is null || string.Equals(keyId, KeyId, StringComparison.OrdinalIgnoreCase)) return (PublicKeyFrom(PublicKeyPem), null);
        return (null, $"The anchor was signed by key {keyId}, which this server does not know: add its public key to " +
            "Audit:PreviousPublicKeyFiles, or check the anchor with ops/ec verify --public-key." +
            (unreadable.Count == 0 ? "" : $" Unreadable there: {string.Join("; ", unreadable)}."));
    }

    public Anchor Sign(long sequence, string hash, Instant at)
    {
        var keyId = KeyId;
        var text = SignedText(sequence, hash, at, keyId);
        var signature = Key.SignData(Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new Anchor(sequence, hash.ToUpperInvariant(), at, Algorithm, Convert.ToHexString(signature), keyId, text);
    }

    private ECDsa Key => _key.Value ?? throw new ProblemException(503, "Anchors unavailable",
        "No anchor signing key: set Audit:SigningKeyFile (a PEM file with an ECDSA P-256 private key) or Audit:SigningKeyPem.");

    /// <summary>
    /// The exact text an anchor's signature covers, so that anyone can check it with a general tool
    /// (<c>openssl dgst -sha256 -verify public.pem -signature sig.der text</c>) as well as with <c>ops/ec</c>.
    /// </summary>
    public static string SignedText(long sequence, string hash, Instant at, string keyId) =>
        $"EmergencyCommand audit anchor v2|sequence={sequence}|hash={hash.ToUpperInvariant()}|signedAt={InstantPattern.ExtendedIso.Format(at)}|key={keyId}";

    /// <summary>A key's id: the start of the SHA-256 of its public half (SubjectPublicKeyInfo, DER), in hex.</summary>
    public static string KeyIdOf(ECDsa key) => Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16].ToLowerInvariant();

    /// <summary>Whether the anchor's signature is this public key's over the anchor's own fields; the reason when not.</summary>
    public static string? SignatureProblem(AnchorToCheck anchor, ECDsa publicKey)
    {
        if (anchor.Algorithm is { } algorithm && algorithm != Algorithm)
            return $"The anchor is signed with {algorithm}; only {Algorithm} anchors can be checked by an outsider (re-anchor the log).";
        var keyId = KeyIdOf(publicKey);
        if (anchor.KeyId is { } given && !string.Equals(given, keyId, StringComparison.OrdinalIgnoreCase))
            return $"The anchor was signed by key {given}, not by the public key given ({keyId}).";
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(anchor.Signature!);
        }
        catch (FormatException)
        {
            return "The signature is not hexadecimal.";
        }
        var text = Encoding.UTF8.GetBytes(SignedText(anchor.Sequence!.Value, anchor.Hash!, anchor.SignedAt!.Value, keyId));
        return publicKey.VerifyData(text, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ? null
            : "The signature does not match the anchor under this public key.";
    }

    /// <summary>A public key from PEM (SubjectPublicKeyInfo, or a private key whose public half is taken), P-256 only.</summary>
    public static ECDsa PublicKeyFrom(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new FormatException($"not an ECDSA key in PEM ({e.Message})", e);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new FormatException($"an ECDSA key of {key.KeySize} bits; anchors use P-256");
        }
        return key;
    }

    private static ECDsa? Load(AuditOptions o, IHostEnvironment environment)
    {
        string? pem = !string.IsNullOrWhiteSpace(o.SigningKeyPem) ? o.SigningKeyPem
            : !string.IsNullOrWhiteSpace(o.SigningKeyFile) ? File.ReadAllText(o.SigningKeyFile)
            : environment.IsDevelopment() || environment.IsEnvironment("Demo") ? GeneratedOnce(o, environment)
            : null;
        if (pem is null) return null;
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Audit:SigningKeyFile / Audit:SigningKeyPem holds no ECDSA private key in PEM: {e.Message}", e);
        }
        if (key.KeySize != 256) throw new InvalidOperationException($"The anchor signing key is ECDSA with {key.KeySize} bits; it must be P-256.");
        return key;
    }

    /// <summary>
    /// Development and Demo only: a key made once into the data directory (git-ignored) and kept from then on, readable by
    /// this OS user alone. Whoever can read that file can sign anchors; production gives a key of its own.
    /// </summary>
    private static string GeneratedOnce(AuditOptions o, IHostEnvironment environment)
    {
        var directory = o.KeyDirectory is { Length: > 0 } given ? Path.GetFullPath(given, environment.ContentRootPath)
            : Path.Combine(environment.ContentRootPath, ".data");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, GeneratedKeyName);
        if (!File.Exists(file))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var written = file + $".{Guid.NewGuid():N}.tmp";
            File.WriteAllText(written, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(written, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // Two servers starting at once: the first key in place wins, the other is dropped.
            try
            {
                File.Move(written, file, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(written);
            }
        }
        return File.ReadAllText(file);
    }

    public void Dispose()
    {
        if (_key.IsValueCreated) _key.Value?.Dispose();
    }
}
