using System.Security.Cryptography;
using System.Text;

namespace Proviso.Gateway;

/// <summary>
/// The ledger's tag for a conversation's calls: an HMAC-SHA256 of application and label under a key derived from the vault
/// key, so auditors can group the calls while a reader of the ledger cannot confirm a guessed label (an e-mail address, a
/// name) by hashing it. Instances sharing the vault key tag alike.
/// </summary>
public sealed class ConversationTags
{
    private static readonly byte[] Purpose = "proviso/ledger/conversation-tag/v1"u8.ToArray();
    private readonly byte[] _key;

    public ConversationTags(byte[] vaultKey)
    {
        ArgumentNullException.ThrowIfNull(vaultKey);
        // A key of its own (HKDF), never the vault's encryption key itself.
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, vaultKey, 32, salt: null, info: Purpose);
    }

    /// <summary>16 hex digits naming the conversation <paramref name="label"/> of application <paramref name="application"/>.</summary>
    public string Tag(Guid application, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{application:N}:{label}")))[..16];
    }
}

/// <summary>The vault key of this process (<c>Proviso:Privacy:VaultKey</c>, else <c>vault.key</c> in the data directory).</summary>
public sealed record VaultKey(byte[] Bytes);
