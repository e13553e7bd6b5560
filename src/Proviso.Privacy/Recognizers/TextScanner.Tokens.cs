using System.Buffers;

namespace Proviso.Privacy.Recognizers;

internal static partial class TextScanner
{
    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> IbanLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22, ["BR"] = 29,
        ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29,
        ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28,
        ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20,
        ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19,
        ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29,
        ["RO"] = 24, ["RS"] = 22, ["SA"] = 24, ["SC"] = 31, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28,
        ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<char> LowerAscii = SearchValues.Create("abcdefghijklmnopqrstuvwxyz");
    private static readonly SearchValues<char> UpperAscii = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    // Longer prefixes first, so "github_pat_" is preferred where several match.
    private static readonly string[] SecretPrefixes =
        ["github_pat_", "-----BEGIN", "sk_live_", "rk_live_", "sk_test_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "eyJ", "bc1"];

    private static readonly SearchValues<string> SecretPrefixSearch = SearchValues.Create(SecretPrefixes, StringComparison.Ordinal);

    private static bool IsIbanStart(ReadOnlySpan<char> s) =>
        char.IsAsciiLetterUpper(s[0]) && char.IsAsciiLetterUpper(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]);

    // The IBAN the number scan validated (and reported) last on this thread: it meets the check digits before the capitalized
    // scan meets the country code, which then has nothing left to do.
    [ThreadStatic]
    private static string? t_ibanText;

    [ThreadStatic]
    private static int t_ibanStart;

    [ThreadStatic]
    private static int t_ibanEnd;

    /// <summary>Where a mod-97-valid IBAN of its country's length that starts at <paramref name="start"/> ends, or -1.</summary>
    private static int IbanEnd(string text, int start)
    {
        if (ReferenceEquals(text, t_ibanText) && start == t_ibanStart)
        {
            return t_ibanEnd;
        }
        if (!IbanLengths.TryGetValue(text.AsSpan(start, 2), out var ibanLength))
        {
            return -1;
        }
        Span<char> compact = stackalloc char[40];
        var n = 0;
        var e = start;
        while (e < text.Length && n < ibanLength)
        {
            var c = text[e];
            if (char.IsAsciiLetterOrDigit(c))
            {
                compact[n++] = char.ToUpperInvariant(c);
                e++;
            }
            else if (c == ' ' && e + 1 < text.Length && char.IsAsciiLetterOrDigit(text[e + 1]) && n % 4 == 0)
            {
                e++;
            }
            else
            {
                break;
            }
        }
        var end = n == ibanLength && (e >= text.Length || !IsWordChar(text[e])) && Checksums.IbanMod97(compact[..n]) ? e : -1;
        t_ibanText = text;
        t_ibanStart = start;
        t_ibanEnd = end;
        return end;
    }

    /// <summary>Alphanumeric identifiers that start with a digit followed by letters (e.g. a Spanish NIF "12345678Z").</summary>
    private static void ScanAlnumAt(string text, int start, Func<string, bool> enabled, List<Candidate> output)
    {
        var end = SkipToken(text, start);
        if (start > 0 && IsWordChar(text[start - 1]))
        {
            return;
        }
        var token = text.AsSpan(start, end - start);
        if (token.Length == 9 && enabled(Entities.EsNif) && Checksums.EsNifLetter(token))
        {
            output.Add(new Candidate(Entities.EsNif, start, end, 0.85, "es-nif/check-letter"));
        }
        else if (token.Length is 26 or 27 or 28 or 29 or 30 or 31 or 32 or 33 or 34 or 35 && token[0] is '1' or '3' && enabled(Entities.Crypto)
            && Checksums.Base58Check(token) is 0x00 or 0x05)
        {
            output.Add(new Candidate(Entities.Crypto, start, end, 0.95, "crypto/base58check"));
        }
        else if (token.Length == 42 && token.StartsWith("0x", StringComparison.Ordinal) && enabled(Entities.Crypto) && IsHex(token[2..]))
        {
            output.Add(new Candidate(Entities.Crypto, start, end, 0.5, "crypto/eth-hex+context"));
        }
        else if (enabled(Entities.MacAddress))
        {
            TryMac(text, start, output);
        }
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static void TryMac(string text, int start, List<Candidate> output)
    {
        // 00:1A:2B:3C:4D:5E, 00-1A-2B-3C-4D-5E
        if (start + 17 <= text.Length)
        {
            var s = text.AsSpan(start, 17);
            var sep = s[2];
            if (sep is ':' or '-')
            {
                var ok = true;
                for (var k = 0; k < 17 && ok; k++)
                {
                    ok = k % 3 == 2 ? s[k] == sep : char.IsAsciiHexDigit(s[k]);
                }
                if (ok && (start + 17 == text.Length || !IsWordChar(text[start + 17]) && text[start + 17] != sep))
                {
                    output.Add(new Candidate(Entities.MacAddress, start, start + 17, 0.9, "mac/colon-hex"));
                }
            }
        }
    }

    // ---------------------------------------------------------------- capitalized tokens: IDs, names, addresses

    [ThreadStatic]
    private static List<int>? t_capitalStarts;

    /// <summary>
    /// Where the capitalized words of the text last scanned on this thread start (all of them, names or not), so that
    /// repeats of a detected name are looked for there only.
    /// </summary>
    internal static List<int> CapitalStarts => t_capitalStarts ??= new List<int>(64);

    /// <summary>Drops a huge text's word list so the thread does not keep it.</summary>
    internal static void TrimCapitalStarts()
    {
        if (t_capitalStarts is { Capacity: > 16384 })
        {
            t_capitalStarts = null;
        }
    }

    [ThreadStatic]
    private static List<(int Start, int End)>? t_streetLines;

    private static void ScanCapitalized(string text, Func<string, bool> enabled, List<int> anchors, List<Candidate> output)
    {
        var span = text.AsSpan();
        var i = 0;
        var names = enabled(Entities.Person);
        var lastNameEnd = -1;
        var capitals = System.Text.Ascii.IsValid(span) ? Upper : UpperWide;
        var starts = t_capitalStarts ??= new List<int>(64);
        starts.Clear();
        // Addresses first: the capitalized words of a street line (street, city, region) are not looked at again as names or identifiers.
        var addresses = t_streetLines ??= new List<(int, int)>(4);
        addresses.Clear();
        if (enabled(Entities.StreetAddress))
        {
            var from = output.Count;
            ScanAddresses(text, output);
            // Their spans by position (the scan reports streets, then PO boxes, then labeled postcodes, each in text order).
            for (var k = from; k < output.Count; k++)
            {
                if (output[k].Type == Entities.StreetAddress)
                {
                    addresses.Add((output[k].Start, output[k].End));
                }
            }
            addresses.Sort();
        }
        var nextAddress = 0;
        while (i < text.Length)
        {
            var rel = span[i..].IndexOfAny(capitals);
            if (rel < 0)
            {
                break;
            }
            var start = i + rel;
            if (start > 0 && IsWordChar(text[start - 1]))
            {
                i = SkipToken(text, start);
                continue;
            }
            starts.Add(start);
            var end = SkipToken(text, start);
            if (Covering(addresses, ref nextAddress, start) is var address and >= 0 && !span[addresses[address].Start..start].ContainsAny('\n', '\r'))
            {
                // On the street's own line; the lines an address block takes in below it may still hold a name ("Margaret Thompson").
                i = Math.Max(end, start + 1);
                continue;
            }
            var token = span[start..end];
            if (IdentifierAt(text, start, end, token, enabled, output))
            {
                i = Math.Max(end, start + 1);
                continue;
            }
            if (names && start >= lastNameEnd && (IsNameWord(end < text.Length && text[end] is '\'' or '’' or '-' ? span[start..NameTokenEnd(text, start)] : token)
                || IsInitialBeforeName(text, start, end)))
            {
                lastNameEnd = TryPerson(text, start, output);
            }
            i = Math.Max(end, start + 1);
        }
        if (addresses.Capacity > 4096)
        {
            t_streetLines = null;
        }
        if (enabled(Entities.MacAddress))
        {
            // MACs starting with a letter ("AA:BB:…") are not reached by the number scan.
            foreach (var k in anchors)
            {
                if (k >= 2 && text[k] == ':' && (k == 2 || !IsWordChar(text[k - 3])) && char.IsAsciiHexDigit(text[k - 1]) && char.IsAsciiHexDigit(text[k - 2]) && char.IsAsciiLetter(text[k - 2]))
                {
                    TryMac(text, k - 2, output);
                }
            }
        }
    }

    /// <summary>"L. Johnson": a single capital, a dot, a space, a capitalized word.</summary>
    private static bool IsInitialBeforeName(string text, int start, int end) =>
        end == start + 1 && end + 2 < text.Length && text[end] == '.' && text[end + 1] == ' ' && char.IsUpper(text[end + 2]);

    private static bool IdentifierAt(string text, int start, int end, ReadOnlySpan<char> token, Func<string, bool> enabled, List<Candidate> output)
    {
        var len = token.Length;
        // Every identifier below holds a digit but a spaced UK NINO's letters ("AB 12 34 56 C"), a MAC's first byte ("AA:…") and
        // an AWS key id (rarely all letters): a plain capitalized word ("The", "Several") leaves at once.
        if (len != 2 && len != 20 && !token.ContainsAnyInRange('0', '9'))
        {
            return false;
        }
        // IBAN, possibly grouped in fours: "DE89 3704 0044 0532 0130 00" (found already by the number scan, which met its check digits first)
        if (len >= 4 && IsIbanStart(token) && enabled(Entities.Iban))
        {
            if (ReferenceEquals(text, t_ibanText) && start == t_ibanStart && t_ibanEnd > 0)
            {
                return true;
            }
            if (IbanEnd(text, start) is var ibanEnd && ibanEnd > 0)
            {
                output.Add(new Candidate(Entities.Iban, start, ibanEnd, 0.95, "iban/mod97"));
                return true;
            }
        }
        // UK NINO: AB123456C or "AB 12 34 56 C" — two letters, then a digit or a space and a digit (most words fail here)
        if (len >= 2 && char.IsAsciiLetter(token[1]) && start + 3 < text.Length
            && (char.IsAsciiDigit(text[start + 2]) || (text[start + 2] == ' ' && char.IsAsciiDigit(text[start + 3])))
            && enabled(Entities.UkNino) && TryNino(text, start, out var ninoEnd))
        {
            output.Add(new Candidate(Entities.UkNino, start, ninoEnd, 0.85, "uk-nino/format"));
            return true;
        }
        if (len == 16 && enabled(Entities.ItFiscalCode) && IsItFiscalShape(token) && Checksums.ItFiscalCheck(token[..15]) == char.ToUpperInvariant(token[15]))
        {
            output.Add(new Candidate(Entities.ItFiscalCode, start, end, 0.95, "it-fiscal-code/check-char"));
            return true;
        }
        if (len == 10 && enabled(Entities.InPan) && IsPanShape(token))
        {
            output.Add(new Candidate(Entities.InPan, start, end, 0.55, "in-pan/format"));
            return true;
        }
        if (len == 9 && token[0] is 'S' or 'T' or 'F' or 'G' or 'M' && AllDigits(token[1..8]) && char.IsAsciiLetterUpper(token[8]) && enabled(Entities.SgNricFin)
            && Checksums.SgNricCheck(token[0], token[1..8]) == token[8])
        {
            output.Add(new Candidate(Entities.SgNricFin, start, end, 0.9, "sg-nric/check-letter"));
            return true;
        }
        if (len == 9 && token[0] is 'X' or 'Y' or 'Z' && enabled(Entities.EsNie) && Checksums.EsNifLetter(token))
        {
            output.Add(new Candidate(Entities.EsNie, start, end, 0.85, "es-nie/check-letter"));
            return true;
        }
        if (len == 20 && token.StartsWith("AKIA", StringComparison.Ordinal) || len == 20 && token.StartsWith("ASIA", StringComparison.Ordinal))
        {
            if (enabled(Entities.Secret) && AllUpperAlnum(token))
            {
                output.Add(new Candidate(Entities.Secret, start, end, 0.95, "secret/aws-access-key-id"));
                return true;
            }
        }
        if (len == 9 && char.IsAsciiLetterUpper(token[0]) && AllDigits(token[1..]) && enabled(Entities.UsPassport))
        {
            output.Add(new Candidate(Entities.UsPassport, start, end, 0.25, "us-passport/letter+digits+context"));
            return true;
        }
        if (len is >= 7 and <= 13 && char.IsAsciiLetterUpper(token[0]) && AllDigits(token[1..]) && enabled(Entities.UsDriverLicense))
        {
            output.Add(new Candidate(Entities.UsDriverLicense, start, end, 0.2, "us-dl/letter+digits+context"));
            return true;
        }
        if (len is >= 6 and <= 14 && enabled(Entities.MedicalRecordNumber) && char.IsAsciiLetterUpper(token[0]) && HasDigits(token, 4) && AllUpperAlnum(token))
        {
            output.Add(new Candidate(Entities.MedicalRecordNumber, start, end, 0.2, "mrn/alnum+context"));
            return true;
        }
        if (enabled(Entities.MacAddress) && len == 2 && IsHex(token))
        {
            TryMac(text, start, output);
        }
        return false;
    }

    private static bool TryNino(string text, int start, out int end)
    {
        end = start;
        Span<char> c = stackalloc char[9];
        var n = 0;
        var e = start;
        while (e < text.Length && n < 9)
        {
            var ch = text[e];
            if (char.IsAsciiLetterOrDigit(ch))
            {
                c[n++] = char.ToUpperInvariant(ch);
                e++;
            }
            else if (ch == ' ' && n is 2 or 4 or 6 or 8 && e + 1 < text.Length && char.IsAsciiLetterOrDigit(text[e + 1]))
            {
                e++;
            }
            else
            {
                break;
            }
        }
        if (n != 9 || (e < text.Length && IsWordChar(text[e])))
        {
            return false;
        }
        if (!char.IsAsciiLetter(c[0]) || !char.IsAsciiLetter(c[1]) || !AllDigits(c[2..8]) || c[8] is < 'A' or > 'D')
        {
            return false;
        }
        if (c[0] is 'D' or 'F' or 'I' or 'Q' or 'U' or 'V' || c[1] is 'D' or 'F' or 'I' or 'O' or 'Q' or 'U' or 'V')
        {
            return false;
        }
        var prefix = new string(c[..2]);
        if (prefix is "BG" or "GB" or "NK" or "KN" or "TN" or "NT" or "ZZ")
        {
            return false;
        }
        end = e;
        return true;
    }

    private static bool IsItFiscalShape(ReadOnlySpan<char> t)
    {
        // LLLLLL DD L DD L DDD L, where digit positions may hold omocodia letters (LMNPQRSTUV).
        const string omocodia = "LMNPQRSTUV";
        for (var k = 0; k < 16; k++)
        {
            var ch = char.ToUpperInvariant(t[k]);
            var letter = k is < 6 or 8 or 11 or 15;
            if (letter ? !char.IsAsciiLetterUpper(ch) : !(char.IsAsciiDigit(ch) || omocodia.Contains(ch)))
            {
                return false;
            }
        }
        return "ABCDEHLMPRST".Contains(char.ToUpperInvariant(t[8]));
    }

    private static bool IsPanShape(ReadOnlySpan<char> t) =>
        AllUpperLetters(t[..5]) && AllDigits(t[5..9]) && char.IsAsciiLetterUpper(t[9]) && "ABCFGHLJPT".Contains(t[3]);

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return s.Length > 0;
    }

    private static bool AllUpperLetters(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool AllUpperAlnum(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasDigits(ReadOnlySpan<char> s, int min)
    {
        var n = 0;
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c))
            {
                n++;
            }
        }
        return n >= min;
    }

    // ---------------------------------------------------------------- secrets with known prefixes

    private static void ScanPrefixedSecrets(string text, Func<string, bool> enabled, List<Candidate> output)
    {
        var secrets = enabled(Entities.Secret);
        var crypto = enabled(Entities.Crypto);
        if (!secrets && !crypto)
        {
            return;
        }
        var span = text.AsSpan();
        var i = 0;
        while (i < text.Length)
        {
            // One vectorized multi-string search finds every known prefix.
            var rel = span[i..].IndexOfAny(SecretPrefixSearch);
            if (rel < 0)
            {
                break;
            }
            var at = i + rel;
            var prefix = FirstPrefix(SecretPrefixes, text, at, StringComparison.Ordinal);
            var next = at + prefix.Length;
            if (at == 0 || !IsWordChar(text[at - 1]) || prefix == "-----BEGIN")
            {
                next = MatchPrefixed(text, at, prefix, secrets, crypto, output);
            }
            i = Math.Max(next, at + 1);
        }
        if (secrets)
        {
            ScanKeyedSecrets(text, output);
        }
    }

    private static int MatchPrefixed(string text, int start, string prefix, bool secrets, bool crypto, List<Candidate> output)
    {
        if (prefix == "-----BEGIN")
        {
            var header = text.IndexOf("-----", start + 10, StringComparison.Ordinal);
            if (header < 0 || !text.AsSpan(start, header - start).Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                return start + 10;
            }
            var endMarker = text.IndexOf("-----END", header, StringComparison.Ordinal);
            var close = endMarker < 0 ? -1 : text.IndexOf("-----", endMarker + 8, StringComparison.Ordinal);
            if (secrets)
            {
                // An unterminated key is masked to the end of its base64 body, never left half-visible.
                var end = close < 0 ? Base64BlockEnd(text, header + 5) : close + 5;
                output.Add(new Candidate(Entities.Secret, start, end, 1.0, "secret/pem-private-key"));
                return end;
            }
            return start + 10;
        }
        var e = start + prefix.Length;
        while (e < text.Length && (char.IsAsciiLetterOrDigit(text[e]) || text[e] is '_' or '-' || (prefix == "eyJ" && text[e] == '.')))
        {
            e++;
        }
        var body = e - start - prefix.Length;
        switch (prefix)
        {
            case "eyJ":
                var jwt = text.AsSpan(start, e - start);
                if (secrets && jwt.Count('.') == 2 && body > 20 && jwt.IndexOf(".eyJ", StringComparison.Ordinal) > 0)
                {
                    while (text[e - 1] == '.')
                    {
                        e--;
                    }
                    output.Add(new Candidate(Entities.Secret, start, e, 0.95, "secret/jwt"));
                }
                break;
            case "bc1":
                var address = text.AsSpan(start, e - start);
                var mixedCase = address.ContainsAny(LowerAscii) && address.ContainsAny(UpperAscii);
                if (crypto && address.Length is >= 14 and <= 74 && !mixedCase && Checksums.Bech32(address.ToString().ToLowerInvariant()))
                {
                    output.Add(new Candidate(Entities.Crypto, start, e, 0.95, "crypto/bech32"));
                }
                break;
            case "0x":
                break;
            default:
                var min = prefix switch
                {
                    "github_pat_" => 70,
                    "glpat-" => 20,
                    "sk_live_" or "rk_live_" or "sk_test_" => 16,
                    "xoxb-" or "xoxp-" or "xoxa-" or "xoxr-" or "xoxs-" => 10,
                    _ => 36,
                };
                if (secrets && body >= min)
                {
                    output.Add(new Candidate(Entities.Secret, start, e, 0.95, $"secret/{prefix.TrimEnd('_', '-')}"));
                }
                break;
        }
        return e;
    }

    private static int Base64BlockEnd(string text, int from)
    {
        var e = from;
        while (e < text.Length && (char.IsAsciiLetterOrDigit(text[e]) || text[e] is '+' or '/' or '=' or '\n' or '\r' or ' ' or ':' or '-'))
        {
            e++;
        }
        return e;
    }

    // Key names by the part that gives them away: "passw" (password, passwd, Passwort), "_key"/"-key" (api_key, access_key,
    // private_key, ssh-key…), "secret" (client_secret…). Eight short needles instead of twelve names: the search's cost is its
    // false starts on prose's common trigrams ("acc", "pri", "cli"), ~2x less this way; the value rules after the key decide.
    private static readonly string[] SecretKeys = ["passw", "pwd", "secret", "token", "apikey", "_key", "-key", "auth"];

    /// <summary>Values right after key/secret/token/password: high-entropy strings, or anything after "password:".</summary>
    private static readonly SearchValues<string> SecretKeySearch = SearchValues.Create(SecretKeys, StringComparison.OrdinalIgnoreCase);

    private static void ScanKeyedSecrets(string text, List<Candidate> output)
    {
        var span = text.AsSpan();
        var i = 0;
        while (i < text.Length)
        {
            var rel = span[i..].IndexOfAny(SecretKeySearch);
            if (rel < 0)
            {
                break;
            }
            var at = i + rel;
            var key = FirstPrefix(SecretKeys, text, at, StringComparison.OrdinalIgnoreCase);
            var e = at + key.Length;
            // allow "password is", "token: ", "secret=", "api_key\": \""
            while (e < text.Length && (char.IsLetter(text[e]) || text[e] == '_'))
            {
                e++;
            }
            var v = e;
            var sawAssign = false;
            while (v < text.Length && v - e < 8 && text[v] is ' ' or ':' or '=' or '"' or '\'' or '\t')
            {
                sawAssign |= text[v] is ':' or '=';
                v++;
            }
            if (!sawAssign && v < text.Length - 3 && text.AsSpan(v).StartsWith("is ", StringComparison.OrdinalIgnoreCase))
            {
                v += 3;
                sawAssign = true;
            }
            var valueEnd = v;
            while (valueEnd < text.Length && !char.IsWhiteSpace(text[valueEnd]) && text[valueEnd] is not ('"' or '\'' or ',' or ';' or '}' or ')'))
            {
                valueEnd++;
            }
            // The whole name says what it holds: "db_key_password" is found at its "_key" and is a password's; a public or
            // publishable key ("public_key", "stripe_publishable_key") is no secret.
            var nameStart = at;
            while (nameStart > 0 && (char.IsAsciiLetterOrDigit(text[nameStart - 1]) || text[nameStart - 1] is '_' or '-'))
            {
                nameStart--;
            }
            var name = text.AsSpan(nameStart, e - nameStart);
            if (key[0] is '_' or '-' && (name.Contains("public", StringComparison.OrdinalIgnoreCase) || name.Contains("publishable", StringComparison.OrdinalIgnoreCase)))
            {
                i = Math.Max(e, at + 1);
                continue;
            }
            var password = name.Contains("passw", StringComparison.OrdinalIgnoreCase) || name.Contains("pwd", StringComparison.OrdinalIgnoreCase);
            // Sentence punctuation ends a token value; a password may end in '!' or '?', so only a final '.' is dropped there.
            while (valueEnd > v && (text[valueEnd - 1] == '.' || (!password && text[valueEnd - 1] is '!' or '?')))
            {
                valueEnd--;
            }
            var value = text.AsSpan(v, valueEnd - v);
            if (sawAssign && value.Length >= 8 && value.Length <= 512)
            {
                var entropy = ShannonEntropy(value);
                if (password || (value.Length >= 16 && entropy >= 3.5))
                {
                    output.Add(new Candidate(Entities.Secret, v, valueEnd, password ? 0.8 : 0.85, password ? "secret/password-value" : "secret/high-entropy"));
                }
            }
            i = Math.Max(valueEnd, at + 1);
        }
    }

    private static string FirstPrefix(string[] candidates, string text, int at, StringComparison comparison)
    {
        foreach (var c in candidates)
        {
            if (string.Compare(text, at, c, 0, c.Length, comparison) == 0)
            {
                return c;
            }
        }
        throw new InvalidOperationException("The multi-string search reported a match no candidate confirms.");
    }

    internal static double ShannonEntropy(ReadOnlySpan<char> s)
    {
        Span<int> counts = stackalloc int[128];
        var other = 0;
        foreach (var c in s)
        {
            if (c < 128)
            {
                counts[c]++;
            }
            else
            {
                other++;
            }
        }
        double h = 0;
        foreach (var n in counts)
        {
            if (n > 0)
            {
                var p = (double)n / s.Length;
                h -= p * Math.Log2(p);
            }
        }
        if (other > 0)
        {
            var p = (double)other / s.Length;
            h -= p * Math.Log2(p);
        }
        return h;
    }
}
