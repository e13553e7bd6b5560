using System.Numerics;
using Proviso.Privacy.Recognizers;

namespace Proviso.Privacy.Tests;

public class ChecksumTests
{
    [Fact]
    public void IbanMod97_AgreesWithTheTextbookBigNumberRemainder()
    {
        // Reference: move the first four characters to the end, letters to 10..35, the whole number modulo 97 is 1.
        var random = new Random(20261125);
        const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var valid = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var length = random.Next(5, 35);
            var chars = new char[length];
            for (var k = 0; k < length; k++)
            {
                chars[k] = Alphabet[random.Next(k is 0 or 1 ? 10 : 0, Alphabet.Length)];
            }
            var bban = new string(chars, 4, length - 4);
            if (round % 2 == 0)
            {
                // Half of them get their real check digits, so both answers are exercised.
                var check = Checksums.IbanCheckDigits(new string(chars, 0, 2), bban);
                chars[2] = check[0];
                chars[3] = check[1];
            }
            var iban = new string(chars);
            Assert.Equal(Reference(iban), Checksums.IbanMod97(iban));
            valid += Checksums.IbanMod97(iban) ? 1 : 0;
        }
        Assert.InRange(valid, 10_000, 10_500);
        Assert.True(Checksums.IbanMod97("DE89370400440532013000"));
        Assert.False(Checksums.IbanMod97("DE89370400440532013001"));
        Assert.False(Checksums.IbanMod97("DE89 3704"));
        Assert.False(Checksums.IbanMod97("DE89"));
    }

    private static bool Reference(string iban)
    {
        var digits = string.Concat((iban[4..] + iban[..4]).Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) % 97 == 1;
    }
}
