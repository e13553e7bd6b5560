using System.Security.Cryptography;
using System.Text;

namespace Proviso.Accounts;

/// <summary>
/// A key for machine access. Only a SHA-256 hash of the secret is stored: keys are 256-bit random
/// values, so a fast hash is enough (no password stretching needed) and lookup stays one index seek.
/// </summary>
public sealed class ApiKey
{
    public const string Prefix = "pvk_";
    public const int NameMax = 100;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public ProvisoUser? Owner { get; set; }

    /// <summary>The first characters of the key, shown in lists so people can tell keys apart.</summary>
    public string Hint { get; set; } = "";

    public byte[] Hash { get; set; } = [];
    public List<string> Scopes { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
