using System.Security.Cryptography;
using System.Text;
using Proviso.Privacy.Operators;

namespace Proviso.Privacy.Tests;

public class KeyedCryptoTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Seal_ThenOpen_ReturnsTheValue_AndNeverTheSameBytesTwice()
    {
        var crypto = new KeyedCrypto(Key);
        var a = crypto.Seal("Margaret Thompson");
        var b = crypto.Seal("Margaret Thompson");
        Assert.NotEqual(a, b);
        Assert.Equal("Margaret Thompson", crypto.Open(a));
        Assert.Equal("Margaret Thompson", crypto.Open(b));
        Assert.Equal("", crypto.Open(crypto.Seal("")));
        var longValue = new string('é', 1000);
        Assert.Equal(longValue, crypto.Open(crypto.Seal(longValue)));
    }

    [Fact]
    public void Open_RefusesAlteredOrTruncatedValues()
    {
        var crypto = new KeyedCrypto(Key);
        var sealedValue = crypto.Seal("4111 1111 1111 1111");
        foreach (var at in new[] { 0, 13, sealedValue.Length - 1 })
        {
            var altered = (byte[])sealedValue.Clone();
            altered[at] ^= 1;
            Assert.ThrowsAny<CryptographicException>(() => crypto.Open(altered));
        }
        Assert.ThrowsAny<CryptographicException>(() => crypto.Open(sealedValue.AsSpan(0, 20)));
        Assert.ThrowsAny<CryptographicException>(() => new KeyedCrypto(RandomNumberGenerator.GetBytes(32)).Open(sealedValue));
    }

    [Fact]
    public void FormatAndMac_MatchThePlainPrimitives_SoStoredVaultEntriesStayReadable()
    {
        // Entries written before the pooled implementation: nonce | tag | ciphertext with a fresh AesGcm, hashes by HMACSHA256.HashData.
        var plain = Encoding.UTF8.GetBytes("margaret.thompson@example.com");
        var old = new byte[28 + plain.Length];
        RandomNumberGenerator.Fill(old.AsSpan(0, 12));
        using (var aes = new AesGcm(Key, 16))
        {
            aes.Encrypt(old.AsSpan(0, 12), plain, old.AsSpan(28), old.AsSpan(12, 16));
        }
        var crypto = new KeyedCrypto(Key);
        Assert.Equal("margaret.thompson@example.com", crypto.Open(old));
        var fresh = crypto.Seal("margaret.thompson@example.com");
        var opened = new byte[fresh.Length - 28];
        using (var aes = new AesGcm(Key, 16))
        {
            aes.Decrypt(fresh.AsSpan(0, 12), fresh.AsSpan(28), fresh.AsSpan(12, 16), opened);
        }
        Assert.Equal(plain, opened);
        foreach (var value in new[] { "", "EMAIL_ADDRESS\0a@b.example", new string('x', 300) })
        {
            Assert.Equal(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(value)), crypto.Mac(value));
            // Twice: a pooled MAC must have been reset.
            Assert.Equal(Convert.ToHexString(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(value))), crypto.MacHex(value));
        }
    }

    [Fact]
    public void ConcurrentCallers_EachGetTheirOwnCorrectResult()
    {
        var crypto = new KeyedCrypto(Key);
        var nonces = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var value = $"value {i}";
            var sealedValue = crypto.Seal(value);
            Assert.True(nonces.TryAdd(Convert.ToHexString(sealedValue, 0, 12), 0), "a nonce was used twice");
            Assert.Equal(value, crypto.Open(sealedValue));
            Assert.Equal(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(value)), crypto.Mac(value));
        });
    }
}
