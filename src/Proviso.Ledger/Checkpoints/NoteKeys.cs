using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Proviso.Ledger.Checkpoints;

/// <summary>
/// Ed25519 keys in the C2SP signed-note encodings:
/// verifier <c>name+hexid+base64(0x01||public)</c>, signer <c>PRIVATE+KEY+name+hexid+base64(0x01||seed)</c>,
/// where the key id is the first 4 bytes of SHA-256(name || "\n" || 0x01 || public key).
/// </summary>
public static class NoteKeys
{
    private const byte Ed25519Type = 0x01;
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    /// <summary>Generates a new key pair; returns (signer key, verifier key) strings.</summary>
    public static (string Signer, string Verifier) Generate(string name)
    {
        ValidateName(name);
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var seed = key.Export(KeyBlobFormat.RawPrivateKey);
        var pub = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var id = KeyId(name, pub);
        return ($"PRIVATE+KEY+{name}+{Hex(id)}+{Convert.ToBase64String([Ed25519Type, .. seed])}",
                $"{name}+{Hex(id)}+{Convert.ToBase64String([Ed25519Type, .. pub])}");
    }

    /// <summary>The key id C2SP defines for an Ed25519 key.</summary>
    public static byte[] KeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        var data = new byte[Encoding.UTF8.GetByteCount(name) + 2 + publicKey.Length];
        var n = Encoding.UTF8.GetBytes(name, data);
        data[n] = (byte)'\n';
        data[n + 1] = Ed25519Type;
        publicKey.CopyTo(data.AsSpan(n + 2));
        return SHA256.HashData(data)[..4];
    }

    internal static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c)))
        {
            throw new FormatException("A key name is non-empty and has no spaces, '+' or control characters.");
        }
    }

    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    internal static byte[] DecodeKeyBlob(string base64, int expectedLength, string what)
    {
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new FormatException($"The {what} is not valid base64.");
        }
        if (blob.Length != expectedLength + 1 || blob[0] != Ed25519Type)
        {
            throw new FormatException($"The {what} is not an Ed25519 key.");
        }
        return blob[1..];
    }

    internal static uint ParseHexId(string hex, string what) =>
        hex.Length == 8 && uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new FormatException($"The {what} has a malformed key id.");
}

/// <summary>Signs notes with an Ed25519 key.</summary>
public sealed class NoteSigner : IDisposable
{
    private readonly Key _key;

    /// <summary>Parses a <c>PRIVATE+KEY+…</c> string.</summary>
    public NoteSigner(string signerKey)
    {
        ArgumentNullException.ThrowIfNull(signerKey);
        var parts = signerKey.Trim().Split('+', 5); // base64 may itself contain '+'
        if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY")
        {
            throw new FormatException("A signer key looks like PRIVATE+KEY+name+hexid+base64.");
        }
        Name = parts[2];
        NoteKeys.ValidateName(Name);
        var seed = NoteKeys.DecodeKeyBlob(parts[4], 32, "signer key");
        _key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        var pub = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = NoteKeys.KeyId(Name, pub);
        if (NoteKeys.ParseHexId(parts[3], "signer key") != System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(KeyId))
        {
            throw new FormatException("The signer key's id does not match its key.");
        }
        Verifier = $"{Name}+{NoteKeys.Hex(KeyId)}+{Convert.ToBase64String([0x01, .. pub])}";
    }

    /// <summary>The key name that appears on signature lines.</summary>
    public string Name { get; }

    /// <summary>The 4-byte key id.</summary>
    public byte[] KeyId { get; }

    /// <summary>The matching verifier key string, safe to publish.</summary>
    public string Verifier { get; }

    /// <summary>Signs <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}

/// <summary>Verifies note signatures made by one Ed25519 key.</summary>
public sealed class NoteVerifier
{
    private readonly PublicKey _key;

    /// <summary>Parses a <c>name+hexid+base64</c> verifier key string.</summary>
    public NoteVerifier(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        var parts = verifierKey.Trim().Split('+', 3); // base64 may itself contain '+'
        if (parts.Length != 3)
        {
            throw new FormatException("A verifier key looks like name+hexid+base64.");
        }
        Name = parts[0];
        NoteKeys.ValidateName(Name);
        var pub = NoteKeys.DecodeKeyBlob(parts[2], 32, "verifier key");
        KeyId = NoteKeys.KeyId(Name, pub);
        if (NoteKeys.ParseHexId(parts[1], "verifier key") != System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(KeyId))
        {
            throw new FormatException("The verifier key's id does not match its key.");
        }
        _key = PublicKey.Import(SignatureAlgorithm.Ed25519, pub, KeyBlobFormat.RawPublicKey);
        Text = verifierKey.Trim();
    }

    /// <summary>The key name.</summary>
    public string Name { get; }

    /// <summary>The 4-byte key id.</summary>
    public byte[] KeyId { get; }

    /// <summary>The verifier key string.</summary>
    public string Text { get; }

    /// <summary>True when <paramref name="signature"/> is this key's signature of <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && SignatureAlgorithm.Ed25519.Verify(_key, message, signature);
}
