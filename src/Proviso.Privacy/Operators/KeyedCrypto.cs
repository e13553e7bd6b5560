using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Proviso.Privacy.Operators;

/// <summary>
/// AES-256-GCM sealing and HMAC-SHA256 under one key, with the cipher and MAC objects reused across
/// calls. Creating them costs far more than using them (an OpenSSL context fetch and key schedule
/// each time); on the gateway's path that was most of the per-value cost. Thread-safe: each call
/// rents an instance from a small pool. Sealed layout: nonce (12) | tag (16) | ciphertext. It lives as
/// long as its key's owner; the pooled native contexts are freed (and cleansed) by their safe handles.
/// </summary>
public sealed class KeyedCrypto
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int MaxPooled = 32;
    private readonly byte[] _key;
    private readonly ConcurrentBag<AesGcm> _ciphers = [];
    private readonly ConcurrentBag<IncrementalHash> _macs = [];
    // Nonces: a random 32-bit prefix and a 64-bit counter starting at a random value, so no two seals
    // of this instance share a nonce and instances (processes, restarts) sharing the key collide only
    // with negligible probability — without a call into the system RNG per seal.
    private readonly uint _noncePrefix = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    private long _nonceCounter = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    /// <summary>Uses <paramref name="key"/> (kept; the caller must not change it): any length for MACs, 16, 24 or 32 bytes for sealing.</summary>
    public KeyedCrypto(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key.Length > 0 ? key : throw new ArgumentException("The key is empty.", nameof(key));
    }

    /// <summary>Encrypts <paramref name="value"/> with a fresh random nonce.</summary>
    public byte[] Seal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var plainLength = Encoding.UTF8.GetByteCount(value);
        var result = new byte[NonceSize + TagSize + plainLength];
        var plain = result.AsSpan(NonceSize + TagSize);
        Encoding.UTF8.GetBytes(value, plain);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(result, _noncePrefix);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(4), Interlocked.Increment(ref _nonceCounter));
        var aes = RentCipher();
        try
        {
            // In place: GCM allows the plaintext and ciphertext buffers to be the same.
            aes.Encrypt(result.AsSpan(0, NonceSize), plain, plain, result.AsSpan(NonceSize, TagSize));
        }
        finally
        {
            Return(_ciphers, aes);
        }
        return result;
    }

    /// <summary>Decrypts what <see cref="Seal"/> produced; throws <see cref="CryptographicException"/> if it was altered.</summary>
    public string Open(ReadOnlySpan<byte> sealedValue)
    {
        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed value is too short.");
        }
        var plain = new byte[sealedValue.Length - NonceSize - TagSize];
        var aes = RentCipher();
        try
        {
            aes.Decrypt(sealedValue[..NonceSize], sealedValue[(NonceSize + TagSize)..], sealedValue.Slice(NonceSize, TagSize), plain);
        }
        finally
        {
            Return(_ciphers, aes);
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>HMAC-SHA256 of the UTF-8 bytes of <paramref name="value"/>.</summary>
    public byte[] Mac(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var mac = _macs.TryTake(out var m) ? m : IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        try
        {
            Span<byte> stack = stackalloc byte[256];
            var count = Encoding.UTF8.GetMaxByteCount(value.Length) <= stack.Length ? Encoding.UTF8.GetBytes(value, stack) : -1;
            mac.AppendData(count >= 0 ? stack[..count] : Encoding.UTF8.GetBytes(value));
            return mac.GetHashAndReset();
        }
        finally
        {
            Return(_macs, mac);
        }
    }

    /// <summary>HMAC-SHA256 as upper-case hex.</summary>
    public string MacHex(string value) => Convert.ToHexString(Mac(value));

    private AesGcm RentCipher() => _ciphers.TryTake(out var aes) ? aes : new AesGcm(_key, TagSize);

    private static void Return<T>(ConcurrentBag<T> pool, T item) where T : IDisposable
    {
        if (pool.Count < MaxPooled)
        {
            pool.Add(item);
        }
        else
        {
            item.Dispose();
        }
    }
}
