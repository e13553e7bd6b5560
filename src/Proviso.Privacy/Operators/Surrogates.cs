using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Proviso.Privacy.Recognizers;

namespace Proviso.Privacy.Operators;

/// <summary>
/// Realistic fakes of the same format, with valid check digits where the type has them, drawn from a
/// generator seeded by HMAC(key, scope, type, value) — so the same value gets the same fake in a scope
/// and nobody without the key can predict it.
/// </summary>
internal sealed class Surrogates(byte[] key)
{
    private static readonly string[] Given = ["Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Robin", "Elena", "Marco", "Sofia", "Lucas", "Nora", "Omar", "Priya", "Hana", "Felix", "Ines", "Mateo", "Leila", "Tomas", "Yara"];
    private static readonly string[] Family = ["Carter", "Morales", "Lindqvist", "Okafor", "Brennan", "Tanaka", "Novak", "Haddad", "Fischer", "Moreau", "Costa", "Walsh", "Keller", "Iyer", "Sato", "Nguyen", "Petrov", "Duarte", "Larsen", "Romano"];
    private static readonly string[] Streets = ["Maple", "Cedar", "Willow", "Harbor", "Orchard", "Juniper", "Summit", "Linden", "Meadow", "Birch"];
    private static readonly string[] StreetTypes = ["Street", "Avenue", "Road", "Lane", "Drive"];

    public string Create(string type, string original, string scope, int attempt)
    {
        for (var salt = 0; salt < 20; salt++)
        {
            var rng = Seeded(type, original, scope, attempt, salt);
            var fake = Make(type, original, rng);
            if (!string.Equals(fake, original, StringComparison.Ordinal))
            {
                return fake;
            }
        }
        return $"<{type}_{attempt}>";
    }

    private Random Seeded(string type, string original, string scope, int attempt, int salt)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{scope}\0{type}\0{original}\0{attempt}\0{salt}"));
        return new Random(BitConverter.ToInt32(mac, 0));
    }

    private static string Make(string type, string v, Random r) => type switch
    {
        Entities.Person => Person(v, r),
        Entities.Email => $"{Pick(Given, r).ToLowerInvariant()}.{Pick(Family, r).ToLowerInvariant()}{r.Next(10, 99)}@example.com",
        Entities.Phone => Phone(v, r),
        Entities.CreditCard => CreditCard(v, r),
        Entities.Iban => Iban(v, r),
        Entities.UsSsn => Ssn(v, r),
        Entities.UsItin => Layout(v, $"9{r.Next(0, 100):00}{r.Next(70, 89)}{r.Next(1, 10000):0000}"),
        Entities.UkNino => Layout(v, $"{(char)('A' + r.Next(0, 3))}{(char)('A' + r.Next(0, 3))}{r.Next(0, 1_000_000):000000}{(char)('A' + r.Next(0, 4))}"),
        Entities.UkNhs => Layout(v, Retry(r, x => { var nine = Digits(x, 9, nonZeroFirst: true); var c = Checksums.NhsCheckDigit(nine); return c < 0 ? null : nine + c; })),
        Entities.EsNif => Nif(r, nie: false),
        Entities.EsNie => Nif(r, nie: true),
        Entities.ItFiscalCode => FiscalCode(r),
        Entities.NlBsn => Layout(v, Retry(r, x => { var d = Digits(x, 9, nonZeroFirst: true); return Checksums.ElevenTest(d) ? d : null; })),
        Entities.DeTaxId => Layout(v, Retry(r, x => { var ten = Digits(x, 10, nonZeroFirst: true); var d = ten + Checksums.DeTaxIdCheckDigit(ten); return Checksums.DeTaxId(d) ? d : null; })),
        Entities.FrNir => Layout(v, Nir(r)),
        Entities.InAadhaar => Layout(v, Retry(r, x => { var p = $"{x.Next(2, 10)}{Digits(x, 10, false)}"; return p + Checksums.VerhoeffCheckDigit(p); })),
        Entities.InPan => $"{Letters(r, 3)}{"ABCFGHLJPT"[r.Next(10)]}{Letters(r, 1)}{r.Next(0, 10000):0000}{Letters(r, 1)}",
        Entities.SgNricFin => SgNric(r),
        Entities.AuTfn => Layout(v, Retry(r, x => { var d = Digits(x, 9, true); return Checksums.AuTfn(d) ? d : null; })),
        Entities.AbaRouting => Retry(r, x => { var d = $"0{x.Next(1, 10)}{Digits(x, 7, false)}"; return Checksums.AbaRouting(d) ? d : null; }),
        Entities.IpAddress => v.Contains(':', StringComparison.Ordinal) ? $"2001:db8::{r.Next(1, 0xffff):x}:{r.Next(1, 0xffff):x}" : $"203.0.113.{r.Next(1, 255)}",
        Entities.MacAddress => "02" + string.Concat(Enumerable.Range(0, 5).Select(_ => (v.Length > 2 ? v[2] : ':') + r.Next(0, 256).ToString("X2", CultureInfo.InvariantCulture))),
        Entities.Url => $"https://example.com/{Letters(r, 6).ToLowerInvariant()}",
        Entities.StreetAddress => $"{r.Next(10, 9999)} {Pick(Streets, r)} {Pick(StreetTypes, r)}",
        Entities.DateOfBirth => Date(v, r),
        Entities.Crypto => v.StartsWith("bc1", StringComparison.OrdinalIgnoreCase) ? Bech32(r) : Base58Address(r, v.StartsWith('3') ? (byte)5 : (byte)0),
        Entities.Secret => Secret(v, r),
        _ => Shape(v, r),
    };

    /// <summary>Keeps a secret's recognizable prefix and structure (AKIA…, ghp_…, JWT dots) and randomizes the rest.</summary>
    private static string Secret(string v, Random r)
    {
        var keep = v.StartsWith("AKIA", StringComparison.Ordinal) || v.StartsWith("ASIA", StringComparison.Ordinal) ? 4
            : v.StartsWith("eyJ", StringComparison.Ordinal) ? 3
            : v.IndexOfAny(['_', '-']) is var sep and >= 0 and < 12 ? sep + 1
            : v.StartsWith("-----", StringComparison.Ordinal) ? v.IndexOf('\n') is var nl and > 0 ? nl : v.IndexOf("-----", 5, StringComparison.Ordinal) + 5
            : 0;
        var body = Shape(v[keep..], r);
        if (v.StartsWith("eyJ", StringComparison.Ordinal))
        {
            // Each JWT segment after the first also starts with "eyJ".
            var parts = body.Split('.');
            for (var k = 1; k < parts.Length - 1; k++)
            {
                parts[k] = parts[k].Length >= 3 ? "eyJ" + parts[k][3..] : parts[k];
            }
            body = string.Join('.', parts);
        }
        return v[..keep] + body;
    }

    private static string Pick(string[] list, Random r) => list[r.Next(list.Length)];

    private static string Person(string v, Random r)
    {
        var parts = v.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            <= 1 => Pick(Given, r),
            2 => $"{Pick(Given, r)} {Pick(Family, r)}",
            _ => $"{Pick(Given, r)} {Pick(Given, r)[0]}. {Pick(Family, r)}",
        };
    }

    private static string Digits(Random r, int n, bool nonZeroFirst)
    {
        var sb = new StringBuilder(n);
        for (var i = 0; i < n; i++)
        {
            sb.Append((char)('0' + (i == 0 && nonZeroFirst ? r.Next(1, 10) : r.Next(0, 10))));
        }
        return sb.ToString();
    }

    private static string Letters(Random r, int n)
    {
        var sb = new StringBuilder(n);
        for (var i = 0; i < n; i++)
        {
            sb.Append((char)('A' + r.Next(26)));
        }
        return sb.ToString();
    }

    private static string Retry(Random r, Func<Random, string?> make)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (make(r) is { } s)
            {
                return s;
            }
        }
        throw new InvalidOperationException("No surrogate found.");
    }

    /// <summary>Puts the fake's characters into the original's layout (its spaces, dashes, dots stay where they were).</summary>
    private static string Layout(string original, string compact)
    {
        var sb = new StringBuilder(original.Length);
        var k = 0;
        foreach (var c in original)
        {
            if (char.IsLetterOrDigit(c) && k < compact.Length)
            {
                sb.Append(compact[k++]);
            }
            else if (!char.IsLetterOrDigit(c))
            {
                sb.Append(c);
            }
        }
        sb.Append(compact.AsSpan(k));
        return sb.ToString();
    }

    private static string Shape(string v, Random r)
    {
        var sb = new StringBuilder(v.Length);
        foreach (var c in v)
        {
            sb.Append(char.IsAsciiDigit(c) ? (char)('0' + r.Next(10))
                : char.IsAsciiLetterUpper(c) ? (char)('A' + r.Next(26))
                : char.IsAsciiLetterLower(c) ? (char)('a' + r.Next(26))
                : c);
        }
        return sb.ToString();
    }

    private static readonly PhoneNumbers.PhoneNumberUtil PhoneUtil = PhoneNumbers.PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Keeps the country code, the first two national digits (the area or mobile prefix) and the layout;
    /// randomizes the rest until the number is valid for its region. US numbers use the fictional 555-01xx range.
    /// </summary>
    private static string Phone(string v, Random r)
    {
        var international = v.TrimStart().StartsWith('+');
        var digits = v.Count(char.IsAsciiDigit);
        if (!international && digits == 10 && UsFictional(v, r) is var fictional && IsValid(fictional, "US"))
        {
            return fictional;
        }
        var keep = international ? CountryCodeLength(v) + 2 : 2;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var sb = new StringBuilder(v.Length);
            var seen = 0;
            foreach (var c in v)
            {
                sb.Append(!char.IsAsciiDigit(c) ? c : seen++ < keep ? c : (char)('0' + r.Next(10)));
            }
            var candidate = sb.ToString();
            if (candidate != v && IsValid(candidate, international ? null : "US"))
            {
                return candidate;
            }
        }
        return Shape(v, r);
    }

    private static bool IsValid(string number, string? region)
    {
        try
        {
            return PhoneUtil.IsValidNumber(PhoneUtil.Parse(number, region));
        }
        catch (PhoneNumbers.NumberParseException)
        {
            return false;
        }
    }

    private static int CountryCodeLength(string v)
    {
        try
        {
            return PhoneUtil.Parse(v, null).CountryCode.ToString(CultureInfo.InvariantCulture).Length;
        }
        catch (PhoneNumbers.NumberParseException)
        {
            return 1;
        }
    }

    private static string UsFictional(string v, Random r)
    {
        var sb = new StringBuilder(v.Length);
        var pos = 0;
        foreach (var c in v)
        {
            if (!char.IsAsciiDigit(c))
            {
                sb.Append(c);
                continue;
            }
            sb.Append(pos switch
            {
                0 or 1 or 2 => c, // the area code stays: it is regional, not personal
                3 or 4 or 5 => '5',
                6 => '0',
                7 => '1',
                _ => (char)('0' + r.Next(10)),
            });
            pos++;
        }
        return sb.ToString();
    }

    private static string CreditCard(string v, Random r)
    {
        var digits = new string(v.Where(char.IsAsciiDigit).ToArray());
        var prefix = digits[0] == '3' ? digits[..2] : digits[..1];
        var payload = prefix + Digits(r, digits.Length - prefix.Length - 1, false);
        return Layout(v, payload + Checksums.LuhnCheckDigit(payload));
    }

    private static string Iban(string v, Random r)
    {
        var compact = new string(v.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        var country = compact[..2];
        var bban = Digits(r, compact.Length - 4, false);
        return Layout(v, country + Checksums.IbanCheckDigits(country, bban) + bban);
    }

    private static string Ssn(string v, Random r)
    {
        int area;
        do
        {
            area = r.Next(1, 900);
        }
        while (area == 666);
        return Layout(v, $"{area:000}{r.Next(1, 100):00}{r.Next(1, 10000):0000}");
    }

    private static string Nif(Random r, bool nie)
    {
        if (nie)
        {
            var p = r.Next(3);
            var body = Digits(r, 7, false);
            var n = long.Parse(p + body, CultureInfo.InvariantCulture);
            return $"{"XYZ"[p]}{body}{Checksums.NifLetters[(int)(n % 23)]}";
        }
        var d = Digits(r, 8, false);
        return d + Checksums.NifLetters[(int)(long.Parse(d, CultureInfo.InvariantCulture) % 23)];
    }

    private static string FiscalCode(Random r)
    {
        var s = $"{Letters(r, 6)}{r.Next(40, 99):00}{"ABCDEHLMPRST"[r.Next(12)]}{r.Next(1, 29):00}{Letters(r, 1)}{r.Next(100, 999):000}";
        return s + Checksums.ItFiscalCheck(s);
    }

    private static string Nir(Random r)
    {
        var body = $"{r.Next(1, 3)}{r.Next(40, 99):00}{r.Next(1, 13):00}{r.Next(1, 96):00}{r.Next(1, 990):000}{r.Next(1, 999):000}";
        var key = 97 - (int)(long.Parse(body, CultureInfo.InvariantCulture) % 97);
        return body + key.ToString("00", CultureInfo.InvariantCulture);
    }

    private static string SgNric(Random r)
    {
        var prefix = "STFG"[r.Next(4)];
        var seven = Digits(r, 7, false);
        return $"{prefix}{seven}{Checksums.SgNricCheck(prefix, seven)}";
    }

    private static string Date(string v, Random r)
    {
        var date = new DateTime(1950, 1, 1).AddDays(r.Next(0, 365 * 55));
        var sep = v.FirstOrDefault(c => c is '/' or '-' or '.');
        var yearFirst = v.Length >= 4 && v[..4].All(char.IsAsciiDigit);
        var twoDigitYear = v.Length - v.LastIndexOf(sep) - 1 == 2;
        var year = twoDigitYear ? (date.Year % 100).ToString("00", CultureInfo.InvariantCulture) : date.Year.ToString(CultureInfo.InvariantCulture);
        return yearFirst
            ? $"{date.Year}{sep}{date.Month:00}{sep}{date.Day:00}"
            : $"{date.Day:00}{sep}{date.Month:00}{sep}{year}";
    }

    private static string Base58Address(Random r, byte version)
    {
        var payload = new byte[21];
        payload[0] = version;
        r.NextBytes(payload.AsSpan(1));
        var check = SHA256.HashData(SHA256.HashData(payload));
        return Checksums.Base58Encode([.. payload, .. check.AsSpan(0, 4)]);
    }

    private static string Bech32(Random r)
    {
        var data = new List<int> { 0 };
        for (var i = 0; i < 32; i++)
        {
            data.Add(r.Next(32));
        }
        var hrp = "bc";
        var values = hrp.Select(c => c >> 5).Append(0).Concat(hrp.Select(c => c & 31)).Concat(data).Concat(Enumerable.Repeat(0, 6));
        var polymod = Checksums.Bech32Polymod(values) ^ 1;
        var sb = new StringBuilder("bc1");
        foreach (var d in data)
        {
            sb.Append(Checksums.Bech32Charset32[d]);
        }
        for (var i = 0; i < 6; i++)
        {
            sb.Append(Checksums.Bech32Charset32[(polymod >> (5 * (5 - i))) & 31]);
        }
        return sb.ToString();
    }
}
