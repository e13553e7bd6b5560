using System.Buffers;
using System.Net;
using System.Net.Sockets;
using PhoneNumbers;

namespace Proviso.Privacy.Recognizers;

/// <summary>
/// One scanner for every built-in type. Each family of identifiers has an anchor that vectorized
/// search finds quickly ('@' for e-mail, "://" for URLs, digits for numbers, capitals for names
/// and alphanumeric identifiers); hand-written matchers then validate shapes and check digits.
/// Candidates carry a base score; <see cref="PiiDetector"/> adjusts them by context.
/// </summary>
internal static partial class TextScanner
{
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> Upper = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    // Capitals outside ASCII (É, Ł, Ö…): searched for only when the text has non-ASCII characters, so
    // English text keeps the fast vectorized ASCII search.
    private static readonly SearchValues<char> UpperWide = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŸŹŻŽ");
    // Loading libphonenumber's metadata takes ~50 ms: lazily, so scanning text without phone-like numbers never waits for it
    // and PiiDetector.WarmUpAsync can load it beside the rest.
    private static readonly Lazy<PhoneNumberUtil> PhonesLazy = new(() =>
    {
        var util = PhoneNumberUtil.GetInstance();
        util.IsValidNumber(util.Parse("+44 20 7946 0958", null));
        return util;
    });

    private static PhoneNumberUtil Phones => PhonesLazy.Value;

    /// <summary>Loads the phone metadata now.</summary>
    internal static void WarmPhones() => _ = PhonesLazy.Value;

    public static void Scan(string text, Func<string, bool> enabled, List<Candidate> output, string defaultRegion)
    {
        // The number scan's search (a range, '0'…':') also finds every ':' for the three scanners anchored on one (URL scheme, IPv6,
        // MAC): a pass of their own over the text cost ~6% of detecting prose. E-mail addresses look for their '@' themselves
        // (a single-character search, the cheapest there is).
        var anchors = t_anchors ??= new List<int>(16);
        anchors.Clear();
        ScanNumbers(text, enabled, output, defaultRegion, anchors);
        if (enabled(Entities.Email))
        {
            ScanEmails(text, output);
        }
        // "www.", "Box " and the postcode labels, found in one multi-string search: one per family cost ~3x as much on prose.
        var keywords = t_keywords ??= new List<int>(4);
        keywords.Clear();
        if (enabled(Entities.Url) || enabled(Entities.StreetAddress))
        {
            FindAddressKeywords(text, keywords);
        }
        if (enabled(Entities.Url))
        {
            ScanUrls(text, anchors, keywords, output);
        }
        ScanCapitalized(text, enabled, anchors, output);
        ScanPrefixedSecrets(text, enabled, output);
        if (enabled(Entities.IpAddress))
        {
            ScanIpv6(text, anchors, output);
        }
        if (anchors.Capacity > 4096 || keywords.Capacity > 4096)
        {
            t_anchors = null;
            t_keywords = null;
        }
        t_ibanText = null; // the thread keeps no text alive
    }

    [ThreadStatic]
    private static List<int>? t_anchors;

    [ThreadStatic]
    private static List<int>? t_keywords;

    /// <summary>Where any of <see cref="AddressKeywords"/> starts, every position in order (the scanners tell which from its first character).</summary>
    private static void FindAddressKeywords(string text, List<int> hits)
    {
        var span = text.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            var rel = span[i..].IndexOfAny(AddressKeywordSearch);
            if (rel < 0)
            {
                return;
            }
            hits.Add(i + rel);
            i += rel + 1;
        }
    }

    /// <summary>Whether a keyword hit at <paramref name="at"/> is <paramref name="keyword"/> (ASCII, lower case, compared ignoring case).</summary>
    private static bool KeywordAt(string text, int at, string keyword) =>
        at + keyword.Length <= text.Length && text.AsSpan(at, keyword.Length).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    // ---------------------------------------------------------------- e-mail and URL

    private static void ScanEmails(string text, List<Candidate> output)
    {
        var from = 0;
        for (var at = text.IndexOf('@'); at >= 0; at = at + 1 < text.Length ? text.IndexOf('@', at + 1) : -1)
        {
            if (at < from)
            {
                continue;
            }
            var start = at;
            while (start > 0 && IsLocalChar(text[start - 1]))
            {
                start--;
            }
            while (start < at && text[start] == '.')
            {
                start++;
            }
            var end = at + 1;
            var lastDot = -1;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '-' || text[end] == '.'))
            {
                if (text[end] == '.')
                {
                    lastDot = end;
                }
                end++;
            }
            while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-'))
            {
                end--;
            }
            if (lastDot >= end)
            {
                lastDot = text.LastIndexOf('.', end - 1, end - at - 1);
            }
            if (start < at && lastDot > at + 1 && end - lastDot > 2 && AllLetters(text.AsSpan(lastDot + 1, end - lastDot - 1)))
            {
                output.Add(new Candidate(Entities.Email, start, end, 0.95, "email/address"));
            }
            from = Math.Max(end, at + 1);
        }

        static bool IsLocalChar(char c) => c < 128 ? LocalPartAscii.Contains(c) : char.IsLetterOrDigit(c);
    }

    // What an e-mail address's local part may hold, ASCII: a bitmap test per character instead of a call per character.
    private static readonly SearchValues<char> LocalPartAscii = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-'");

    private static bool AllLetters(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }
        return true;
    }

    private static void ScanUrls(string text, List<int> anchors, List<int> keywords, List<Candidate> output)
    {
        var from = 0;
        foreach (var i in anchors)
        {
            if (i < from || text[i] != ':' || i + 2 >= text.Length || text[i + 1] != '/' || text[i + 2] != '/')
            {
                continue;
            }
            var start = i;
            while (start > 0 && char.IsAsciiLetter(text[start - 1]))
            {
                start--;
            }
            var end = UrlEnd(text, i + 3);
            if (start < i && end > i + 4)
            {
                output.Add(new Candidate(Entities.Url, start, end, 0.85, "url/scheme"));
            }
            from = Math.Max(end, i + 3);
        }
        foreach (var w in keywords)
        {
            if (KeywordAt(text, w, "www.") && (w == 0 || !IsWordChar(text[w - 1])) && (w < 3 || text.AsSpan(w - 3, 3) is not "://"))
            {
                var end = UrlEnd(text, w + 4);
                if (end > w + 6 && text.AsSpan(w + 4, end - w - 4).Contains('.'))
                {
                    output.Add(new Candidate(Entities.Url, w, end, 0.8, "url/www"));
                }
            }
        }
    }

    private static int UrlEnd(string text, int from)
    {
        var end = from;
        var parens = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('<' or '>' or '"' or '\'' or '`' or '|' or '\\' or '{' or '}'))
        {
            if (text[end] == '(')
            {
                parens++;
            }
            else if (text[end] == ')')
            {
                if (parens == 0)
                {
                    break;
                }
                parens--;
            }
            end++;
        }
        while (end > from && text[end - 1] is '.' or ',' or ';' or ':' or '!' or '?')
        {
            end--;
        }
        return end;
    }

    // ---------------------------------------------------------------- numbers

    /// <summary>Every ':' in [<paramref name="from"/>, <paramref name="to"/>), in order.</summary>
    private static void CollectAnchors(ReadOnlySpan<char> span, int from, int to, List<int> anchors)
    {
        while (from < to)
        {
            var k = span[from..to].IndexOf(':');
            if (k < 0)
            {
                return;
            }
            anchors.Add(from + k);
            from += k + 1;
        }
    }

    /// <summary>Numbers of every kind; fills <paramref name="anchors"/> with the position of every ':' in the text, in order.</summary>
    private static void ScanNumbers(string text, Func<string, bool> enabled, List<Candidate> output, string region, List<int> anchors)
    {
        var span = text.AsSpan();
        var i = 0;
        // Anchors are collected up to here; a stretch the scan jumps over (a token, a number run, an IBAN) is searched on its own.
        var collected = 0;
        var digitBuffer = default(Buffer64<char>);
        Span<char> digits = digitBuffer;
        while (i < text.Length)
        {
            if (i > collected)
            {
                CollectAnchors(span, collected, i, anchors);
            }
            var rel = span[i..].IndexOfAnyInRange('0', ':');
            if (rel < 0)
            {
                collected = text.Length;
                break;
            }
            var first = i + rel;
            collected = first;
            if (text[first] == ':')
            {
                anchors.Add(first);
                i = collected = first + 1;
                continue;
            }
            // Numbers glued to letters ("AB123456C", "DE89…", "v2") are alphanumeric tokens, matched elsewhere.
            if (first > 0 && (char.IsLetter(text[first - 1]) || text[first - 1] == '_'))
            {
                // An IBAN's check digits ("DE89 3704 0044 …"): found here, its digit groups are not classified piece by piece,
                // and the address scan skips them.
                if (first >= 2 && first + 1 < text.Length && (first == 2 || !IsWordChar(text[first - 3])) && IsIbanStart(span[(first - 2)..])
                    && enabled(Entities.Iban) && IbanEnd(text, first - 2) is var ibanEnd && ibanEnd > 0)
                {
                    output.Add(new Candidate(Entities.Iban, first - 2, ibanEnd, 0.95, "iban/mod97"));
                    i = ibanEnd;
                    continue;
                }
                i = SkipToken(text, first);
                continue;
            }
            var start = first;
            if (start > 0 && text[start - 1] == '+')
            {
                start--;
            }
            else if (start > 0 && text[start - 1] == '(' && (start < 2 || !IsWordChar(text[start - 2])))
            {
                start--;
            }
            var end = first;
            var nd = 0;
            var seps = 0;
            var lastDigit = first;
            var separatorsSeen = 0;
            while (end < text.Length && end - start < 160)
            {
                var c = text[end];
                if (char.IsAsciiDigit(c))
                {
                    if (nd < digits.Length)
                    {
                        digits[nd] = c;
                    }
                    nd++;
                    seps = 0;
                    lastDigit = end;
                }
                else if (c is ' ' or '-' or '.' or '/' or '(' or ')' or '\u00A0')
                {
                    seps++;
                    separatorsSeen++;
                    if (seps > 2 || (c == '.' && end + 1 < text.Length && text[end + 1] == ' '))
                    {
                        break;
                    }
                }
                else
                {
                    break;
                }
                end++;
            }
            var tokenEnd = lastDigit + 1;
            var glued = tokenEnd < text.Length && (char.IsLetter(text[tokenEnd]) || text[tokenEnd] == '_');
            if (glued && enabled(Entities.Phone) && PhoneExtensionEnd(text, tokenEnd) is var extEnd && extEnd > tokenEnd)
            {
                // "986.291.2294x751": a phone number with its extension glued on; the extension belongs to it.
                var before = output.Count;
                ClassifyNumber(text, start, tokenEnd, digits[..Math.Min(nd, digits.Length)], text.AsSpan(start, tokenEnd - start).ContainsAnyExcept(Digits), enabled, output, region);
                var phone = false;
                for (var k = before; k < output.Count; k++)
                {
                    if (output[k].Type == Entities.Phone)
                    {
                        var c = output[k];
                        c.End = extEnd;
                        output[k] = c;
                        phone = true;
                    }
                }
                if (phone)
                {
                    i = extEnd;
                    continue;
                }
                output.RemoveRange(before, output.Count - before);
            }
            if (glued)
            {
                // The run's last group is glued to letters ("… 1111 3C:22…", "12345678Z"): that group is an
                // alphanumeric token of its own; the groups before it are still a number.
                var groupStart = tokenEnd;
                while (groupStart > first && char.IsAsciiDigit(text[groupStart - 1]))
                {
                    groupStart--;
                }
                if (groupStart > first)
                {
                    var prefixEnd = groupStart;
                    while (prefixEnd > first && !char.IsAsciiDigit(text[prefixEnd - 1]))
                    {
                        prefixEnd--;
                    }
                    var n = 0;
                    for (var k = first; k < prefixEnd && n < digits.Length; k++)
                    {
                        if (char.IsAsciiDigit(text[k]))
                        {
                            digits[n++] = text[k];
                        }
                    }
                    var before = output.Count;
                    ClassifyNumber(text, start, prefixEnd, digits[..n], text.AsSpan(start, prefixEnd - start).ContainsAnyExcept(Digits), enabled, output, region);
                    if (!AnyStrong(output, before) && text.AsSpan(start, prefixEnd - start).Contains(' '))
                    {
                        SplitRun(text, start, prefixEnd, enabled, output, region);
                    }
                }
                ScanAlnumAt(text, groupStart, enabled, output);
                i = SkipToken(text, tokenEnd);
                continue;
            }
            if (tokenEnd < text.Length && text[tokenEnd] == ':' && enabled(Entities.MacAddress))
            {
                // "00:1A:2B:…": a MAC address whose first byte is all digits.
                var before = output.Count;
                TryMac(text, first, output);
                if (output.Count > before)
                {
                    i = output[^1].End;
                    continue;
                }
            }
            if (nd > digits.Length)
            {
                SplitRun(text, start, tokenEnd, enabled, output, region);
            }
            else
            {
                var before = output.Count;
                ClassifyNumber(text, start, tokenEnd, digits[..nd], separatorsSeen > 0, enabled, output, region);
                if (!AnyStrong(output, before) && text.AsSpan(start, tokenEnd - start).Contains(' '))
                {
                    // Nothing fits the whole run: it may be several numbers side by side ("536-22-8726 943 476 5919").
                    SplitRun(text, start, tokenEnd, enabled, output, region);
                }
            }
            i = Math.Max(tokenEnd, first + 1);
        }
        if (collected < text.Length)
        {
            CollectAnchors(span, collected, text.Length, anchors);
        }
    }

    /// <summary>A candidate that can pass the default threshold without context.</summary>
    private static bool AnyStrong(List<Candidate> output, int from)
    {
        for (var k = from; k < output.Count; k++)
        {
            if (output[k].Score >= 0.5)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A run that does not classify whole may be several numbers side by side ("… 32 4111 1111 1111 1111").
    /// Every piece of up to eight space-separated groups is classified; overlap resolution later keeps
    /// the best-scoring pieces. Only candidates strong enough to stand without context are kept.
    /// </summary>
    [ThreadStatic]
    private static List<int>? t_groupStarts;

    [ThreadStatic]
    private static List<int>? t_groupEnds;

    private static void SplitRun(string text, int start, int end, Func<string, bool> enabled, List<Candidate> output, string region)
    {
        // Scratch lists per thread: runs of digit groups are frequent (cards, IBANs, phone numbers) and this is not reentrant.
        var groupStarts = t_groupStarts ??= new List<int>(16);
        var groupEnds = t_groupEnds ??= new List<int>(16);
        groupStarts.Clear();
        groupEnds.Clear();
        groupStarts.Add(start);
        for (var k = start; k < end; k++)
        {
            if (text[k] == ' ')
            {
                groupEnds.Add(k);
                var next = k + 1;
                while (next < end && text[next] == ' ')
                {
                    next++;
                }
                groupStarts.Add(next);
                k = next - 1;
            }
        }
        groupEnds.Add(end);
        var digitBuffer = default(Buffer64<char>);
        Span<char> digits = digitBuffer;
        for (var a = 0; a < groupStarts.Count; a++)
        {
            for (var b = a; b < Math.Min(groupEnds.Count, a + 8); b++)
            {
                var from = groupStarts[a];
                var cut = groupEnds[b];
                if ((from == start && cut == end) || cut <= from)
                {
                    continue;
                }
                var n = 0;
                var separators = false;
                for (var k = from; k < cut && n < digits.Length; k++)
                {
                    if (char.IsAsciiDigit(text[k]))
                    {
                        digits[n++] = text[k];
                    }
                    else
                    {
                        separators = true;
                    }
                }
                if (n < 6 || !char.IsAsciiDigit(text[cut - 1]))
                {
                    continue;
                }
                var before = output.Count;
                ClassifyNumber(text, from, cut, digits[..n], separators, enabled, output, region);
                for (var k = output.Count - 1; k >= before; k--)
                {
                    if (output[k].Score < 0.5)
                    {
                        output.RemoveAt(k);
                    }
                }
            }
        }
    }

    private static int SkipToken(string text, int i)
    {
        while (i < text.Length && IsWordChar(text[i]))
        {
            i++;
        }
        return i;
    }

    private static void ClassifyNumber(string text, int start, int end, ReadOnlySpan<char> d, bool hasSeparators, Func<string, bool> enabled,
        List<Candidate> output, string region)
    {
        var raw = text.AsSpan(start, end - start);
        var len = d.Length;

        // Sub-numbers: a run such as "4111 1111 1111 1111 exp 12/26" is handled whole; dates and IPs by shape.
        if (enabled(Entities.IpAddress) && IsIpv4(raw))
        {
            output.Add(new Candidate(Entities.IpAddress, start, end, 0.9, "ip/v4"));
            return;
        }
        if (enabled(Entities.DateOfBirth) && LooksLikeDate(raw))
        {
            // A date is personal only as a birth date: context decides.
            output.Add(new Candidate(Entities.DateOfBirth, start, end, 0.2, "dob/date+context"));
            return;
        }
        if (enabled(Entities.CreditCard) && len is >= 13 and <= 19 && Checksums.Luhn(d) && ConsistentCardGroups(raw))
        {
            var iin = KnownIssuer(d);
            output.Add(new Candidate(Entities.CreditCard, start, end, iin ? 0.95 : 0.45, iin ? "credit-card/luhn+iin" : "credit-card/luhn"));
        }
        if (len == 9)
        {
            var dashed = raw.Length == 11 && raw[3] is '-' or ' ' && raw[6] == raw[3];
            var plain = raw.Length == 9;
            if ((dashed || plain) && start == end - raw.Length)
            {
                var area = ((d[0] - '0') * 100) + ((d[1] - '0') * 10) + (d[2] - '0');
                var group = ((d[3] - '0') * 10) + (d[4] - '0');
                var serial = int.Parse(d[5..], System.Globalization.CultureInfo.InvariantCulture);
                if (d[0] == '9' && enabled(Entities.UsItin) && group is (>= 50 and <= 65) or (>= 70 and <= 88) or (>= 90 and <= 92) or (>= 94 and <= 99))
                {
                    output.Add(new Candidate(Entities.UsItin, start, end, dashed ? 0.8 : 0.3, "us-itin/format"));
                }
                else if (enabled(Entities.UsSsn) && area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !IsSequentialSsn(d))
                {
                    output.Add(new Candidate(Entities.UsSsn, start, end, dashed ? 0.85 : 0.3, dashed ? "us-ssn/format" : "us-ssn/digits+context"));
                }
            }
            if (plain)
            {
                if (enabled(Entities.AbaRouting) && Checksums.AbaRouting(d))
                {
                    output.Add(new Candidate(Entities.AbaRouting, start, end, 0.3, "aba/checksum+context"));
                }
                if (enabled(Entities.NlBsn) && Checksums.ElevenTest(d))
                {
                    output.Add(new Candidate(Entities.NlBsn, start, end, 0.35, "nl-bsn/11-test+context"));
                }
                if (enabled(Entities.AuTfn) && Checksums.AuTfn(d))
                {
                    output.Add(new Candidate(Entities.AuTfn, start, end, 0.3, "au-tfn/checksum+context"));
                }
                if (enabled(Entities.UsPassport))
                {
                    output.Add(new Candidate(Entities.UsPassport, start, end, 0.2, "us-passport/digits+context"));
                }
            }
        }
        if (len == 8 && raw.Length == 8 && enabled(Entities.AuTfn) && Checksums.AuTfn(d))
        {
            output.Add(new Candidate(Entities.AuTfn, start, end, 0.3, "au-tfn/checksum+context"));
        }
        if (len == 10 && enabled(Entities.UkNhs) && Checksums.NhsMod11(d) && (raw.Length == 10 || (raw.Length == 12 && raw[3] == raw[7] && raw[3] is ' ' or '-')))
        {
            output.Add(new Candidate(Entities.UkNhs, start, end, 0.5, "uk-nhs/mod11"));
        }
        if (len == 12 && enabled(Entities.InAadhaar) && d[0] is >= '2' and <= '9' && Checksums.Verhoeff(d) && (raw.Length == 12 || (raw.Length == 14 && raw[4] == raw[9] && raw[4] is ' ' or '-')))
        {
            output.Add(new Candidate(Entities.InAadhaar, start, end, 0.6, "in-aadhaar/verhoeff"));
        }
        if (len == 11 && raw.Length is 11 or 14 && enabled(Entities.DeTaxId) && Checksums.DeTaxId(d))
        {
            output.Add(new Candidate(Entities.DeTaxId, start, end, 0.4, "de-tax-id/iso7064"));
        }
        if (len == 15 && enabled(Entities.FrNir) && Checksums.FrNir(d))
        {
            output.Add(new Candidate(Entities.FrNir, start, end, 0.75, "fr-nir/key"));
        }
        if (len is >= 8 and <= 17 && raw.Length == len && enabled(Entities.UsBankNumber))
        {
            output.Add(new Candidate(Entities.UsBankNumber, start, end, 0.15, "us-bank/digits+context"));
        }
        if (len is >= 6 and <= 12 && raw.Length == len && enabled(Entities.MedicalRecordNumber))
        {
            output.Add(new Candidate(Entities.MedicalRecordNumber, start, end, 0.15, "mrn/digits+context"));
        }
        if (len is >= 6 and <= 12 && enabled(Entities.UsDriverLicense) && raw.Length == len)
        {
            output.Add(new Candidate(Entities.UsDriverLicense, start, end, 0.15, "us-dl/digits+context"));
        }
        if (enabled(Entities.Phone) && len is >= 7 and <= 15)
        {
            ClassifyPhone(text, start, end, raw, hasSeparators, output, region);
        }
    }

    /// <summary>End of an extension glued to a number ("x751", "X12"), or <paramref name="at"/> when there is none.</summary>
    private static int PhoneExtensionEnd(string text, int at)
    {
        if (at >= text.Length || text[at] is not ('x' or 'X'))
        {
            return at;
        }
        var e = at + 1;
        while (e < text.Length && e - at <= 6 && char.IsAsciiDigit(text[e]))
        {
            e++;
        }
        return e - at is >= 2 and <= 6 && (e == text.Length || !IsWordChar(text[e])) ? e : at;
    }

    private static void ClassifyPhone(string text, int start, int end, ReadOnlySpan<char> raw, bool hasSeparators, List<Candidate> output, string region)
    {
        var international = raw[0] == '+';
        // An undelimited run of digits is rarely written as a phone number; keep it for context to decide.
        var formatted = international || hasSeparators;
        if (!international && region == "US" && TryNanp(raw, out var nanp))
        {
            // North American numbers are validated by their numbering-plan rules directly: this is the
            // hot path in English text and libphonenumber's regular expressions cost ~10x more.
            if (nanp)
            {
                // Ten bare digits right after "account" are an account number even when a phone word is near ("called … account 5166982813").
                if (!international && AllDigits(raw) && ContextWords.Near(text, start, end, AccountWords, 24, 0))
                {
                    return;
                }
                output.Add(new Candidate(Entities.Phone, start, end, formatted ? 0.75 : 0.35, "phone/nanp"));
                return;
            }
        }
        if (formatted && (raw[0] == '(' || raw.Contains('-') || raw.Contains('.') || (WholeDigitRun(text, start, end) && SpacedPhoneGroups(raw)))
            && ContextWords.Near(text, start, end, ContextWords.Positive[Entities.Phone]))
        {
            // Written like a phone number and introduced as one ("call me at (07) 5331 0577"), whatever the region.
            output.Add(new Candidate(Entities.Phone, start, end, 0.4, "phone/format+context"));
            return;
        }
        // Outside the North American shape, a number without '+' is only worth libphonenumber's time
        // when it is written like a phone number in a non-US region, or phone words are nearby.
        if ((!formatted || (!international && region == "US")) && !ContextWords.Near(text, start, end, ContextWords.Positive[Entities.Phone]))
        {
            return;
        }
        try
        {
            var number = Phones.Parse(raw.ToString(), international ? null : region);
            if (Phones.IsValidNumber(number))
            {
                output.Add(new Candidate(Entities.Phone, start, end, formatted ? 0.75 : 0.35, international ? "phone/e164" : "phone/national"));
                return;
            }
            if (Phones.IsPossibleNumber(number) && formatted)
            {
                output.Add(new Candidate(Entities.Phone, start, end, 0.4, "phone/possible+context"));
            }
        }
        catch (NumberParseException)
        {
        }
    }

    private static readonly ContextList AccountWords = new(["account", "acct", "routing", "a/c"]);

    /// <summary>Not a piece of a longer run of spaced digit groups (the split of "4111 1111 1111 1111" into pieces).</summary>
    private static bool WholeDigitRun(string text, int start, int end) =>
        !(start >= 2 && text[start - 1] == ' ' && char.IsAsciiDigit(text[start - 2])) && !(end + 1 < text.Length && text[end] == ' ' && char.IsAsciiDigit(text[end + 1]));

    /// <summary>"21 212 133 2727", "69 987 88 37": three or more space-separated groups of 2–4 digits, 8–13 digits in all.</summary>
    private static bool SpacedPhoneGroups(ReadOnlySpan<char> raw)
    {
        var groups = 0;
        var digits = 0;
        foreach (var r in raw.Split(' '))
        {
            var g = raw[r];
            if (g.Length is < 2 or > 4 || !AllDigits(g))
            {
                return false;
            }
            groups++;
            digits += g.Length;
        }
        return groups >= 3 && digits is >= 8 and <= 13;
    }

    /// <summary>
    /// True when <paramref name="raw"/> has the shape of a North American number (10 digits, optionally
    /// a leading 1, in one of the usual layouts); <paramref name="valid"/> then says whether area code
    /// and exchange follow the plan (NXX-NXX-XXXX, no N11 area codes).
    /// </summary>
    private static bool TryNanp(ReadOnlySpan<char> raw, out bool valid)
    {
        valid = false;
        Span<char> d = stackalloc char[11];
        var n = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == 11)
                {
                    return false;
                }
                d[n++] = c;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return false;
            }
        }
        var digits = n == 11 && d[0] == '1' ? d[1..11] : n == 10 ? d[..10] : default;
        if (digits.IsEmpty)
        {
            return false;
        }
        valid = digits[0] >= '2' && digits[3] >= '2' && !(digits[1] == '1' && digits[2] == '1') && !(digits[4] == '1' && digits[5] == '1')
            && digits[..3] is not "555" && digits[1] != '9';
        return true;
    }

    private static bool IsSequentialSsn(ReadOnlySpan<char> d) =>
        d.SequenceEqual("123456789") || d.SequenceEqual("078051120") || d.SequenceEqual("219099999");

    private static bool KnownIssuer(ReadOnlySpan<char> d)
    {
        var p2 = ((d[0] - '0') * 10) + (d[1] - '0');
        var p3 = (p2 * 10) + (d[2] - '0');
        var p4 = (p3 * 10) + (d[3] - '0');
        var len = d.Length;
        return d[0] == '4' && len is 13 or 16 or 19
            || (p2 is >= 51 and <= 55 || p4 is >= 2221 and <= 2720) && len == 16
            || p2 is 34 or 37 && len == 15
            || (p4 == 6011 || p2 == 65 || p3 is >= 644 and <= 649) && len is 16 or 19
            || p2 == 35 && len is >= 16 and <= 19
            || p2 is 36 or 38 or 30 && len == 14
            || p2 == 62 && len is >= 16 and <= 19;
    }

    private static bool ConsistentCardGroups(ReadOnlySpan<char> raw)
    {
        // "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "3782 822463 10005": one separator kind, no dots or slashes.
        char sep = '\0';
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                continue;
            }
            if (c is not (' ' or '-'))
            {
                return false;
            }
            if (sep == '\0')
            {
                sep = c;
            }
            else if (sep != c)
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsIpv4(ReadOnlySpan<char> raw)
    {
        var parts = 0;
        var value = 0;
        var digits = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                value = (value * 10) + (c - '0');
                digits++;
                if (digits > 3 || value > 255)
                {
                    return false;
                }
            }
            else if (c == '.')
            {
                if (digits == 0)
                {
                    return false;
                }
                parts++;
                value = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }

    private static bool LooksLikeDate(ReadOnlySpan<char> raw)
    {
        // dd/mm/yyyy, mm/dd/yyyy, dd.mm.yyyy, dd-mm-yyyy, yyyy-mm-dd (and two-digit years).
        Span<int> parts = stackalloc int[3];
        Span<int> widths = stackalloc int[3];
        var n = 0;
        var value = 0;
        var width = 0;
        char sep = '\0';
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                value = (value * 10) + (c - '0');
                width++;
            }
            else if (c is '/' or '.' or '-')
            {
                if (n >= 2 || width == 0 || (sep != '\0' && sep != c))
                {
                    return false;
                }
                sep = c;
                parts[n] = value;
                widths[n++] = width;
                value = 0;
                width = 0;
            }
            else
            {
                return false;
            }
        }
        if (n != 2 || width == 0)
        {
            return false;
        }
        parts[2] = value;
        widths[2] = width;
        if (widths[0] == 4)
        {
            return parts[0] is >= 1900 and <= 2100 && parts[1] is >= 1 and <= 12 && parts[2] is >= 1 and <= 31 && widths[2] <= 2;
        }
        if (widths[2] is not (2 or 4) || widths[0] > 2 || widths[1] > 2)
        {
            return false;
        }
        var dayMonth = (parts[0] is >= 1 and <= 31 && parts[1] is >= 1 and <= 12) || (parts[0] is >= 1 and <= 12 && parts[1] is >= 1 and <= 31);
        return dayMonth && (widths[2] == 2 || parts[2] is >= 1900 and <= 2100);
    }

    // ---------------------------------------------------------------- IPv6

    private static void ScanIpv6(string text, List<int> anchors, List<Candidate> output)
    {
        var from = 0;
        foreach (var i in anchors)
        {
            if (i < from || text[i] != ':')
            {
                continue;
            }
            var start = i;
            while (start > 0 && (char.IsAsciiHexDigit(text[start - 1]) || text[start - 1] == ':'))
            {
                start--;
            }
            var end = i;
            var colons = 0;
            while (end < text.Length && (char.IsAsciiHexDigit(text[end]) || text[end] is ':' or '.'))
            {
                if (text[end] == ':')
                {
                    colons++;
                }
                end++;
            }
            while (end > i && text[end - 1] == '.')
            {
                end--;
            }
            for (var k = start; k < i; k++)
            {
                if (text[k] == ':')
                {
                    colons++;
                }
            }
            var boundary = (start == 0 || !IsWordChar(text[start - 1])) && (end >= text.Length || !IsWordChar(text[end]));
            if (colons >= 2 && boundary && end - start >= 3
                && IPAddress.TryParse(text.AsSpan(start, end - start), out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
                && !IsMacShape(text.AsSpan(start, end - start)))
            {
                output.Add(new Candidate(Entities.IpAddress, start, end, 0.85, "ip/v6"));
            }
            from = Math.Max(end, i + 1);
        }
    }

    private static bool IsMacShape(ReadOnlySpan<char> s) => s.Length == 17 && s.Count(':') == 5;
}
