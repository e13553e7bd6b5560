using System.Buffers;

namespace Proviso.Privacy.Recognizers;

/// <summary>
/// Address blocks beyond the street line: a building number before the house number ("39 79 Argyll
/// Road"), the lines under a street (city, region, country and postcode), a same-line ", City,
/// Country" tail, and — after an explicit cue such as "my address is" or "lives at" — streets of any
/// language that have no known street type ("87 Jakobi 69", "Πλατεία Μαβίλη 170").
/// </summary>
internal static partial class TextScanner
{
    private static readonly WordSet AddressStopWords = new(
        ["and", "or", "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "with", "down", "up", "into", "onto", "over", "my", "your",
         "his", "her", "our", "their", "its", "this", "that", "these", "those", "is", "are", "was", "were", "be", "been", "per", "than", "then", "but",
         "please", "thanks", "thank", "asap", "today", "tomorrow", "tonight", "yesterday", "now", "soon", "again", "instead", "when", "if", "because",
         "since", "so", "as", "after", "before", "until", "while", "which", "who", "where", "via"]);

    private static bool IsAddressStopWord(ReadOnlySpan<char> word) => AddressStopWords.Contains(word);

    /// <summary>Words that open a line that is not part of an address above it.</summary>
    private static readonly WordSet NonAddressLineOpeners = new(
        ["Dear", "Hi", "Hello", "Hey", "Thanks", "Thank", "Regards", "Best", "Sincerely", "Cheers", "Phone", "Mobile", "Cell", "Tel", "Telephone",
         "Email", "E-mail", "Fax", "Desk", "Office", "Work", "Home", "Attn", "Re", "Subject", "From", "To", "Date", "Note", "PS", "P.S.", "Yours"]);

    /// <summary>
    /// The addressee: when an address opens its line, the line above (or the one above that, past a
    /// company line) that holds just a given name and one or two more words is a person, in any case —
    /// "tracy sukhorukova" above "23 8 wressle road", "billing address: kristin crnić" above a street.
    /// </summary>
    private static void AddresseeAbove(string text, int addressStart, List<Candidate> output)
    {
        if (!LineStart(text, addressStart))
        {
            return;
        }
        var lineEnd = addressStart;
        for (var up = 0; up < 2; up++)
        {
            // Back over the line break(s) and blank lines to the end of the previous line's content.
            var e = lineEnd;
            while (e > 0 && char.IsWhiteSpace(text[e - 1]))
            {
                e--;
            }
            if (e == 0 || e == lineEnd && up > 0)
            {
                return;
            }
            var b = e;
            while (b > 0 && text[b - 1] is not ('\n' or '\r') && e - b < 120)
            {
                b--;
            }
            if (b > 0 && text[b - 1] is not ('\n' or '\r'))
            {
                return; // a long line is prose, not an addressee
            }
            var line = text.AsSpan(b, e - b);
            var colon = line.LastIndexOf(':');
            var offset = b + (colon >= 0 ? colon + 1 : 0);
            while (offset < e && text[offset] is ' ' or '\t' or '?' or '-' or '*' or '>')
            {
                offset++;
            }
            if (IsAddresseeLine(text.AsSpan(offset, e - offset)))
            {
                output.Add(new Candidate(Entities.Person, offset, e, 0.7, "person/addressee"));
                return;
            }
            lineEnd = b;
        }
    }

    private static bool IsAddresseeLine(ReadOnlySpan<char> line)
    {
        if (line.Length is < 5 or > 40)
        {
            return false;
        }
        var tokens = 0;
        var first = true;
        foreach (var r in line.Split(' '))
        {
            var w = line[r];
            if (w.IsEmpty)
            {
                continue;
            }
            tokens++;
            foreach (var c in w)
            {
                if (!char.IsLetter(c) && c is not ('\'' or '’' or '-' or '.'))
                {
                    return false;
                }
            }
            var flags = Flags(w);
            if ((flags & (WordFlags.Stop | WordFlags.StreetType | WordFlags.Place)) != 0 || IsOrganizationWord(w))
            {
                return false;
            }
            if (first && ((flags & WordFlags.Given) == 0 || (flags & WordFlags.Ambiguous) != 0))
            {
                return false;
            }
            first = false;
        }
        return tokens is 2 or 3;
    }

    /// <summary>A building number written before the house number ("39 79 Argyll Road"): 1–4 digits standing alone.</summary>
    private static int PrecedingNumber(string text, int start)
    {
        var e = start - 1;
        if (e < 1 || text[e] != ' ' || !char.IsAsciiDigit(text[e - 1]))
        {
            return start;
        }
        var b = e - 1;
        while (b > 0 && char.IsAsciiDigit(text[b - 1]))
        {
            b--;
        }
        // Alone, and not the last group of a longer number ("4111 1111 1111 1111 742 Evergreen Terrace").
        var standsAlone = b == 0 || ((char.IsWhiteSpace(text[b - 1]) || text[b - 1] is ':' or '(') && !(b >= 2 && (char.IsAsciiDigit(text[b - 2]) || text[b - 2] is '-' or '.')));
        return standsAlone && e - b <= 4 ? b : start;
    }

    /// <summary>
    /// After a street: a ", City, Country" tail on the same line, then up to four following lines that
    /// read like the rest of an address block (city, region, "Country 12345", "Apt. 827"), stopping at a
    /// blank line or anything that reads like prose, a greeting or a labeled contact line.
    /// </summary>
    private static int ExtendAddressBlock(string text, int end, bool lowerCase)
    {
        var e = SameLineTail(text, end);
        for (var line = 0; line < 4; line++)
        {
            var ls = e;
            while (ls < text.Length && text[ls] is ' ' or '\t' or ',')
            {
                ls++;
            }
            if (ls >= text.Length || text[ls] is not ('\n' or '\r'))
            {
                break;
            }
            ls += text[ls] == '\r' && ls + 1 < text.Length && text[ls + 1] == '\n' ? 2 : 1;
            // Address lines are short: look no further than 64 characters for the line's end (a 100 MB line costs nothing).
            var window = text.AsSpan(ls, Math.Min(64, text.Length - ls));
            var rel = window.IndexOfAny('\n', '\r');
            if (rel < 0 && ls + window.Length < text.Length)
            {
                break;
            }
            var le = rel < 0 ? text.Length : ls + rel;
            var content = text.AsSpan(ls, le - ls);
            var trimmedStart = content.Length - content.TrimStart().Length;
            content = content.Trim();
            var length = content.IsEmpty ? 0 : AddressLineLength(content, lowerCase);
            if (length == 0)
            {
                break;
            }
            e = ls + trimmedStart + length;
            if (length < content.Length)
            {
                break; // "Portugal 76970 in case of an issue.": the block ended with its postcode
            }
        }
        return e;
    }

    /// <summary>", Monte Gil, Canada": up to two comma-separated groups of capitalized words (a postcode may follow each).</summary>
    private static int SameLineTail(string text, int end)
    {
        var e = end;
        for (var group = 0; group < 2; group++)
        {
            if (!(e + 2 < text.Length && text[e] == ',' && text[e + 1] == ' ' && char.IsUpper(text[e + 2])))
            {
                break;
            }
            var g = e + 2;
            var words = 0;
            while (words < 3 && g < text.Length && char.IsUpper(text[g]))
            {
                var w = g;
                while (w < text.Length && (char.IsLetter(text[w]) || text[w] is '-' or '\''))
                {
                    w++;
                }
                if (NonAddressLineOpeners.Contains(text.AsSpan(g, w - g)))
                {
                    return e;
                }
                g = w;
                words++;
                if (g + 1 < text.Length && text[g] == ' ' && (char.IsUpper(text[g + 1]) || char.IsAsciiDigit(text[g + 1])))
                {
                    g++;
                    if (char.IsAsciiDigit(text[g]))
                    {
                        var z = g;
                        while (z < text.Length && char.IsAsciiDigit(text[z]))
                        {
                            z++;
                        }
                        if (z - g is < 4 or > 6)
                        {
                            g--;
                            break;
                        }
                        g = z;
                        break;
                    }
                    continue;
                }
                break;
            }
            // The group ends a clause: punctuation, a line end, the text's end or another group.
            if (g < text.Length && !(text[g] is ',' or '.' or ';' or '\n' or '\r' or ')' or '!' or '?' || (text[g] == ' ' && g + 1 < text.Length && char.IsLower(text[g + 1]))))
            {
                break;
            }
            e = g;
        }
        return e;
    }

    /// <summary>How much of a line reads as part of an address block: all of it, a prefix ending in a postcode, or nothing (0).</summary>
    private static int AddressLineLength(ReadOnlySpan<char> line, bool lowerCase)
    {
        var tokens = 0;
        var postcodeEnd = 0;
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] is ' ' or ',' or '\t')
            {
                i++;
                continue;
            }
            var s = i;
            while (i < line.Length && line[i] is not (' ' or ',' or '\t'))
            {
                i++;
            }
            var token = line[s..i];
            tokens++;
            var ok = tokens <= 5 && !(tokens == 1 && NonAddressLineOpeners.Contains(token.TrimEnd('.'))) && !token.ContainsAny(NonAddressLineChars)
                && (AllDigits(token) ? token.Length <= 6
                    : char.IsUpper(token[0]) || token is "nan" || Lexicon.Units.Contains(token.TrimEnd('.')) || (lowerCase && char.IsLetter(token[0]) && !IsAddressStopWord(token)))
                && !(token[^1] == '.' && token.Length > 4 && !Lexicon.Units.Contains(token.TrimEnd('.')));
            if (!ok)
            {
                return postcodeEnd;
            }
            postcodeEnd = AllDigits(token) && token.Length is >= 4 and <= 6 && tokens >= 2 ? i : 0;
        }
        return line.Length <= 48 ? line.Length : 0;
    }

    private static readonly SearchValues<char> NonAddressLineChars = SearchValues.Create("@:?!\"=/|<>{}[]");

    /// <summary>
    /// A number right after an address cue ("my address is 46 …", "lives at 87 …", "return to 39 …"),
    /// then words and numbers holding a name, up to the clause's end: streets of any language, with
    /// or without a known street type. Returns the end of the address, or 0. Runs from the number
    /// scan, so text without numbers pays nothing for it.
    /// </summary>
    private static int TryCuedAddress(string text, int start, List<Candidate> output)
    {
        if (!PrecededByAddressCue(text, start))
        {
            return 0;
        }
        var after = start;
        while (after < text.Length && char.IsAsciiDigit(text[after]))
        {
            after++;
        }
        if (after + 1 < text.Length && text[after] == ' ' && char.IsAsciiDigit(text[after + 1]) && MatchStreetAfterNumber(text, SkipToken(text, after + 1) + 1) > 0)
        {
            return 0; // "23 8 Wressle Road": the street starts at the next number, which takes this one as its building number
        }
        var (end, numbers, words) = CuedRun(text, start);
        var run = text.AsSpan(start, Math.Max(0, end - start));
        // A number and a name: "10 am tomorrow" or "2 regions" is not an address, "87 Jakobi 69" and "46 velký průhon 426" are.
        if (numbers < 1 || words < 1 || end <= start || !(numbers >= 2 || HasProperWord(run)) || HasMeasureWord(run))
        {
            return 0;
        }
        var addressEnd = ExtendAddressBlock(text, end, lowerCase: !run.ContainsAnyInRange('A', 'Z'));
        output.Add(new Candidate(Entities.StreetAddress, start, addressEnd, 0.75, "address/cued"));
        AddresseeAbove(text, start, output);
        return addressEnd;
    }

    /// <summary>The one or two words before <paramref name="start"/> cue an address: "address:", "address is", "lives at", "return to", …</summary>
    private static bool PrecededByAddressCue(string text, int start)
    {
        var e = start - 1;
        var colon = false;
        while (e >= 0 && text[e] is ' ' or '\t' or '\n' or '\r' or ':')
        {
            colon |= text[e] == ':';
            e--;
        }
        var last = WordBefore(text, e + 1, out var lastStart);
        if (last.IsEmpty)
        {
            return false;
        }
        if (colon)
        {
            return last.Equals("address", StringComparison.OrdinalIgnoreCase) || last.Equals("addresses", StringComparison.OrdinalIgnoreCase)
                || last.Equals("are", StringComparison.OrdinalIgnoreCase) && WordBefore(text, SkipSpacesBack(text, lastStart), out _).Equals("they", StringComparison.OrdinalIgnoreCase);
        }
        if (last is not ("is" or "to" or "with" or "at" or "in" or "on"))
        {
            return false;
        }
        var previous = WordBefore(text, SkipSpacesBack(text, lastStart), out _);
        return last switch
        {
            "is" or "to" or "with" => previous.Equals("address", StringComparison.OrdinalIgnoreCase)
                || (last is "to" && previous is "return" or "Return" or "ship" or "Ship" or "deliver" or "delivered" or "moved" or "send" or "mail" or "post"),
            "at" => previous is "lives" or "lived" or "live" or "living" or "located" or "reside" or "resides" or "is" or "based",
            "in" => previous is "lived" or "live" or "lives",
            "on" => previous is "lives" or "lived" or "live",
            _ => false,
        };
    }

    private static int SkipSpacesBack(string text, int i)
    {
        while (i > 0 && text[i - 1] == ' ')
        {
            i--;
        }
        return i;
    }

    /// <summary>The word ending at <paramref name="end"/> (exclusive).</summary>
    private static ReadOnlySpan<char> WordBefore(string text, int end, out int wordStart)
    {
        var b = end;
        while (b > 0 && char.IsLetter(text[b - 1]))
        {
            b--;
        }
        wordStart = b;
        return text.AsSpan(b, end - b);
    }

    private static readonly WordSet MeasureWords = new(
        ["am", "pm", "a.m", "p.m", "o'clock", "noon", "midnight", "percent", "pct", "minutes", "minute", "mins", "hours", "hour", "hrs", "days", "day",
         "weeks", "week", "months", "month", "years", "year", "km", "miles", "mile", "meters", "metres", "feet", "ft", "kg", "lbs", "units", "items",
         "people", "times", "pages", "page", "levels", "level", "points", "dollars", "euros", "usd", "eur", "gbp", "GMT", "UTC", "CET", "EST", "PST"]);

    private static bool HasMeasureWord(ReadOnlySpan<char> run)
    {
        foreach (var r in run.SplitAny(' ', ','))
        {
            if (MeasureWords.Contains(run[r].TrimEnd('.')))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A capitalized word or one outside ASCII ("Jakobi", "průhon", "Μαβίλη").</summary>
    private static bool HasProperWord(ReadOnlySpan<char> run)
    {
        foreach (var r in run.SplitAny(' ', ','))
        {
            var w = run[r];
            if (w.Length >= 2 && char.IsLetter(w[0]) && (char.IsUpper(w[0]) || w.ContainsAnyExceptInRange('\0', '\x7f')))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Tokens of a cued address: numbers, words of any script, units; ends at a clause break, a stop word or 10 tokens.</summary>
    private static (int End, int Numbers, int Words) CuedRun(string text, int p)
    {
        var end = p;
        var numbers = 0;
        var words = 0;
        var i = p;
        for (var t = 0; t < 10 && i < text.Length; t++)
        {
            var s = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '-' or '\'' or '.'))
            {
                i++;
            }
            // A trailing full stop ends the sentence unless it closes an abbreviation or an ordinal ("N.", "rkp.", "45.").
            var token = text.AsSpan(s, i - s);
            if (token.IsEmpty)
            {
                break;
            }
            var core = token.TrimEnd('.');
            if (core.IsEmpty || IsAddressStopWord(core) || (t == 0 && !char.IsAsciiDigit(core[0]) && !char.IsUpper(core[0]) && !char.IsLower(core[0])))
            {
                break;
            }
            if (AllDigits(core))
            {
                if (core.Length > 6)
                {
                    break;
                }
                numbers++;
            }
            else if (char.IsLetter(core[0]))
            {
                words++;
            }
            else
            {
                break;
            }
            end = token.Length > core.Length && (i >= text.Length || text[i] is ' ' or '\n') && core.Length > 4 && !Lexicon.Units.Contains(core) ? s + core.Length : i;
            if (end < i)
            {
                break; // "…, Poznań." the sentence ends here
            }
            // Separator: a space, or ", " inside the run; a line break ends the street line (ExtendAddressBlock takes the rest).
            if (i < text.Length && text[i] == ',' && i + 1 < text.Length && text[i + 1] == ' ')
            {
                i += 2;
                continue;
            }
            if (i < text.Length && text[i] == ' ')
            {
                i++;
                continue;
            }
            break;
        }
        return (end, numbers, words);
    }
}
