using System.Numerics;

namespace Proviso.Privacy.Recognizers;

/// <summary>Check-digit algorithms for the identifiers that have one. All take digits/characters only (no separators).</summary>
internal static class Checksums
{
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var dbl = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }
            if (dbl)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /// <summary>Computes the Luhn check digit for a payload (without the check digit).</summary>
    public static int LuhnCheckDigit(ReadOnlySpan<char> payload)
    {
        var sum = 0;
        var dbl = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
            if (dbl)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return (10 - (sum % 10)) % 10;
    }

    /// <summary>ISO 13616 IBAN: move the first four characters to the end, letters to numbers, mod 97 == 1.</summary>
    public static bool IbanMod97(ReadOnlySpan<char> iban)
    {
        // The country code and check digits go to the end; the number is reduced modulo 97 only when it nears 64 bits
        // (a division every ~13 digits instead of one per character).
        ulong acc = 0;
        return iban.Length > 4 && Accumulate(iban[4..], ref acc) && Accumulate(iban[..4], ref acc) && acc % 97 == 1;

        static bool Accumulate(ReadOnlySpan<char> part, ref ulong acc)
        {
            foreach (var c in part)
            {
                if (char.IsAsciiDigit(c))
                {
                    acc = (acc * 10) + (uint)(c - '0');
                }
                else if (char.IsAsciiLetterUpper(c))
                {
                    acc = (acc * 100) + (uint)(c - 'A' + 10);
                }
                else
                {
                    return false;
                }
                if (acc >= 1_000_000_000_000_000)
                {
                    acc %= 97;
                }
            }
            return true;
        }
    }

    /// <summary>The two IBAN check digits for a country code and BBAN.</summary>
    public static string IbanCheckDigits(string country, string bban)
    {
        var s = bban + country + "00";
        var remainder = 0;
        foreach (var c in s)
        {
            remainder = char.IsAsciiDigit(c) ? ((remainder * 10) + (c - '0')) % 97 : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }
        return (98 - remainder).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly int[,] VerhoeffD =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly int[,] VerhoeffP =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly int[] VerhoeffInv = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

    public static bool Verhoeff(ReadOnlySpan<char> digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            c = VerhoeffD[c, VerhoeffP[i % 8, digits[digits.Length - 1 - i] - '0']];
        }
        return c == 0;
    }

    public static int VerhoeffCheckDigit(ReadOnlySpan<char> payload)
    {
        var c = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            c = VerhoeffD[c, VerhoeffP[(i + 1) % 8, payload[payload.Length - 1 - i] - '0']];
        }
        return VerhoeffInv[c];
    }

    /// <summary>Dutch BSN "11-proef": weights 9..2 and -1 on the last digit; sum divisible by 11.</summary>
    public static bool ElevenTest(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 9)
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (digits[i] - '0') * (9 - i);
        }
        sum -= digits[8] - '0';
        return sum % 11 == 0 && sum != 0;
    }

    /// <summary>UK NHS number: weights 10..2 over the first nine digits, check = 11 - (sum mod 11), 10 invalid, 11 → 0.</summary>
    public static bool NhsMod11(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 10)
        {
            return false;
        }
        var check = NhsCheckDigit(digits[..9]);
        return check >= 0 && check == digits[9] - '0';
    }

    public static int NhsCheckDigit(ReadOnlySpan<char> nine)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (nine[i] - '0') * (10 - i);
        }
        var check = 11 - (sum % 11);
        return check == 11 ? 0 : check == 10 ? -1 : check;
    }

    /// <summary>ABA routing number: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10).</summary>
    public static bool AbaRouting(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 9)
        {
            return false;
        }
        Span<int> d = stackalloc int[9];
        for (var i = 0; i < 9; i++)
        {
            d[i] = digits[i] - '0';
        }
        var sum = (3 * (d[0] + d[3] + d[6])) + (7 * (d[1] + d[4] + d[7])) + d[2] + d[5] + d[8];
        var prefix = (d[0] * 10) + d[1];
        // Federal Reserve routing symbols: 00–12, 21–32, 61–72, 80.
        var validPrefix = prefix is (>= 0 and <= 12) or (>= 21 and <= 32) or (>= 61 and <= 72) or 80;
        return sum % 10 == 0 && validPrefix && digits.ToString() != "000000000";
    }

    /// <summary>Australian TFN: weights 1,4,3,7,5,8,6,9,10 (9 digits) or 10,7,8,4,6,3,5,1 (8 digits); sum mod 11 == 0.</summary>
    public static bool AuTfn(ReadOnlySpan<char> digits)
    {
        ReadOnlySpan<int> w9 = [1, 4, 3, 7, 5, 8, 6, 9, 10];
        ReadOnlySpan<int> w8 = [10, 7, 8, 4, 6, 3, 5, 1];
        var w = digits.Length == 9 ? w9 : digits.Length == 8 ? w8 : default;
        if (w.IsEmpty)
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += (digits[i] - '0') * w[i];
        }
        return sum % 11 == 0 && sum != 0;
    }

    /// <summary>German Steuer-ID: 11 digits, no leading zero, ISO 7064 MOD 11,10 check digit, one digit repeated 2–3 times in the first ten.</summary>
    public static bool DeTaxId(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 11 || digits[0] == '0')
        {
            return false;
        }
        Span<int> counts = stackalloc int[10];
        for (var i = 0; i < 10; i++)
        {
            counts[digits[i] - '0']++;
        }
        var repeated = 0;
        var missing = 0;
        foreach (var c in counts)
        {
            if (c == 0)
            {
                missing++;
            }
            else if (c is 2 or 3)
            {
                repeated++;
            }
            else if (c > 3)
            {
                return false;
            }
        }
        if (repeated != 1 || missing is < 1 or > 2)
        {
            return false;
        }
        return DeTaxIdCheckDigit(digits[..10]) == digits[10] - '0';
    }

    public static int DeTaxIdCheckDigit(ReadOnlySpan<char> ten)
    {
        var product = 10;
        for (var i = 0; i < 10; i++)
        {
            var sum = ((ten[i] - '0') + product) % 10;
            if (sum == 0)
            {
                sum = 10;
            }
            product = (sum * 2) % 11;
        }
        var check = 11 - product;
        return check == 10 ? 0 : check;
    }

    /// <summary>French NIR: 13 digits (Corsica 2A/2B mapped) + 2-digit key = 97 - (number mod 97).</summary>
    public static bool FrNir(ReadOnlySpan<char> fifteen)
    {
        if (fifteen.Length != 15 || (fifteen[0] != '1' && fifteen[0] != '2'))
        {
            return false;
        }
        var body = fifteen[..13].ToString();
        if (body[5] == 'A' || body[5] == 'a')
        {
            body = body[..5] + "0" + body[6..];
            return Key(long.Parse(body, System.Globalization.CultureInfo.InvariantCulture) - 1_000_000) == Two(fifteen[13..]);
        }
        if (body[5] == 'B' || body[5] == 'b')
        {
            body = body[..5] + "0" + body[6..];
            return Key(long.Parse(body, System.Globalization.CultureInfo.InvariantCulture) - 2_000_000) == Two(fifteen[13..]);
        }
        foreach (var c in fifteen)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return Key(long.Parse(body, System.Globalization.CultureInfo.InvariantCulture)) == Two(fifteen[13..]);

        static int Key(long n) => 97 - (int)(n % 97);
        static int Two(ReadOnlySpan<char> s) => ((s[0] - '0') * 10) + (s[1] - '0');
    }

    public const string NifLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

    /// <summary>Spanish DNI/NIF: 8 digits + letter = NifLetters[n mod 23]; NIE: X/Y/Z → 0/1/2.</summary>
    public static bool EsNifLetter(ReadOnlySpan<char> id)
    {
        if (id.Length != 9)
        {
            return false;
        }
        var first = char.ToUpperInvariant(id[0]);
        var prefix = first switch { 'X' => 0, 'Y' => 1, 'Z' => 2, _ => -1 };
        var digits = prefix >= 0 ? id[1..8] : id[..8];
        long n = prefix >= 0 ? prefix : 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            n = (n * 10) + (c - '0');
        }
        return char.ToUpperInvariant(id[8]) == NifLetters[(int)(n % 23)];
    }

    /// <summary>Italian codice fiscale check character.</summary>
    public static char ItFiscalCheck(ReadOnlySpan<char> fifteen)
    {
        ReadOnlySpan<int> odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
        var sum = 0;
        for (var i = 0; i < 15; i++)
        {
            var c = char.ToUpperInvariant(fifteen[i]);
            var v = char.IsAsciiDigit(c) ? c - '0' : c - 'A';
            sum += i % 2 == 0 ? odd[v] : v;
        }
        return (char)('A' + (sum % 26));
    }

    /// <summary>Singapore NRIC/FIN check letter.</summary>
    public static char? SgNricCheck(char prefix, ReadOnlySpan<char> seven)
    {
        ReadOnlySpan<int> w = [2, 7, 6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 7; i++)
        {
            sum += (seven[i] - '0') * w[i];
        }
        var p = char.ToUpperInvariant(prefix);
        if (p is 'T' or 'G')
        {
            sum += 4;
        }
        else if (p == 'M')
        {
            sum += 3;
        }
        var r = sum % 11;
        return p switch
        {
            'S' or 'T' => "JZIHGFEDCBA"[r],
            'F' or 'G' => "XWUTRQPNMLK"[r],
            'M' => "KLJNPQRTUWX"[10 - r],
            _ => null,
        };
    }

    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Base58Check: decodes and checks the 4-byte double-SHA-256 checksum; returns the version byte or -1.</summary>
    public static int Base58Check(ReadOnlySpan<char> s)
    {
        BigInteger n = 0;
        foreach (var c in s)
        {
            var v = Base58Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                return -1;
            }
            n = (n * 58) + v;
        }
        var bytes = n.ToByteArray(isUnsigned: true, isBigEndian: true);
        var leading = 0;
        while (leading < s.Length && s[leading] == '1')
        {
            leading++;
        }
        var full = new byte[leading + bytes.Length];
        bytes.CopyTo(full, leading);
        if (full.Length < 5)
        {
            return -1;
        }
        var payload = full.AsSpan(0, full.Length - 4);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Security.Cryptography.SHA256.HashData(payload));
        return hash.AsSpan(0, 4).SequenceEqual(full.AsSpan(full.Length - 4)) ? full[0] : -1;
    }

    public static string Base58Encode(ReadOnlySpan<byte> data)
    {
        var n = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var sb = new System.Text.StringBuilder();
        while (n > 0)
        {
            sb.Insert(0, Base58Alphabet[(int)(n % 58)]);
            n /= 58;
        }
        foreach (var b in data)
        {
            if (b != 0)
            {
                break;
            }
            sb.Insert(0, '1');
        }
        return sb.ToString();
    }

    private const string Bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /// <summary>Bech32 / Bech32m checksum over a lower-case string with human-readable part.</summary>
    public static bool Bech32(ReadOnlySpan<char> s)
    {
        var sep = s.LastIndexOf('1');
        if (sep < 1 || sep + 7 > s.Length || s.Length > 90)
        {
            return false;
        }
        var hrp = s[..sep];
        var values = new List<int>();
        foreach (var c in hrp)
        {
            values.Add(char.ToLowerInvariant(c) >> 5);
        }
        values.Add(0);
        foreach (var c in hrp)
        {
            values.Add(char.ToLowerInvariant(c) & 31);
        }
        foreach (var c in s[(sep + 1)..])
        {
            var v = Bech32Charset.IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
            if (v < 0)
            {
                return false;
            }
            values.Add(v);
        }
        var polymod = Bech32Polymod(values);
        return polymod is 1 or 0x2bc830a3;
    }

    public static int Bech32Polymod(IEnumerable<int> values)
    {
        ReadOnlySpan<int> gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        var chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) == 1)
                {
                    chk ^= gen[i];
                }
            }
        }
        return chk;
    }

    public static string Bech32Charset32 => Bech32Charset;
}
