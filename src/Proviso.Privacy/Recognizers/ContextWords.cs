using System.Buffers;
using System.Collections.Frozen;

namespace Proviso.Privacy.Recognizers;

/// <summary>Words that, near a candidate, make it more (or less) likely to be the entity.</summary>
internal static class ContextWords
{
    private static readonly SearchValues<char> SentenceEnds = SearchValues.Create(".!?\n");

    public static readonly FrozenDictionary<string, ContextList> Positive = new Dictionary<string, ContextList>
    {
        [Entities.Phone] = new(["phone", "call", "tel", "mobile", "cell", "fax", "contact", "whatsapp", "sms", "text me", "reach me", "ring", "desk", "direct line", "landline"]),
        [Entities.CreditCard] = new(["card", "credit", "visa", "mastercard", "amex", "cc", "payment", "pan", "debit", "expir"]),
        [Entities.UsSsn] = new(["ssn", "social security", "social sec", "ss#", "ss #"]),
        [Entities.UsItin] = new(["itin", "taxpayer", "tax id"]),
        [Entities.AbaRouting] = new(["routing", "aba", "rtn", "transit"]),
        [Entities.UsBankNumber] = new(["account", "acct", "bank", "checking", "savings", "a/c"]),
        [Entities.UsPassport] = new(["passport"]),
        [Entities.UsDriverLicense] = new(["driver", "license", "licence", "dl#", "dl #", "dl:", "dmv", "driving"]),
        [Entities.NlBsn] = new(["bsn", "burgerservicenummer", "sofinummer", "sofi"]),
        [Entities.UkNhs] = new(["nhs", "health service", "patient"]),
        [Entities.UkNino] = new(["national insurance", "nino", "ni number", "ni no"]),
        [Entities.InAadhaar] = new(["aadhaar", "aadhar", "uidai", "uid"]),
        [Entities.InPan] = new(["pan", "permanent account", "income tax"]),
        [Entities.DeTaxId] = new(["steuer", "steuerid", "steueridentifikationsnummer", "idnr", "tax id", "tin"]),
        [Entities.FrNir] = new(["nir", "sécurité sociale", "securite sociale", "insee", "numéro de sécu", "social security"]),
        [Entities.AuTfn] = new(["tfn", "tax file"]),
        [Entities.DateOfBirth] = new(["born", "birth", "dob", "d.o.b", "birthday", "birthdate", "date of birth", "geboren", "né le", "née le", "age"]),
        [Entities.MedicalRecordNumber] = new(["mrn", "medical record", "patient id", "patient number", "chart", "hospital number", "record no", "record number"]),
        [Entities.StreetAddress] = new(["address", "live", "lives", "living", "located", "ship", "deliver", "mail to", "street", "residence", "postcode", "zip", "resides"]),
        [Entities.Secret] = new(["key", "secret", "token", "password", "passwd", "pwd", "credential", "bearer", "auth", "api_key", "apikey"]),
        [Entities.Crypto] = new(["wallet", "bitcoin", "btc", "eth", "crypto", "address", "send"]),
        [Entities.Person] = new(["name", "called", "dear", "hi", "hello", "thanks", "regards", "customer", "patient", "contact", "signed", "sincerely", "mr", "mrs", "ms", "attn", "employee", "manager", "colleague", "spoke with", "met with"]),
        [Entities.IpAddress] = new(["ip", "address", "host", "server", "client"]),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static readonly FrozenDictionary<string, ContextList> Negative = new Dictionary<string, ContextList>
    {
        [Entities.Phone] = new(["order", "invoice", "tracking", "ref", "isbn", "serial", "version", "build", "sku"]),
        [Entities.UsBankNumber] = new(["order", "invoice", "tracking", "phone"]),
        [Entities.IpAddress] = new(["version", "v.", "release"]),
        [Entities.CreditCard] = new(["order", "tracking", "invoice no"]),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True when any of <paramref name="words"/> occurs in the window around [start, end).</summary>
    public static bool Near(string text, int start, int end, ContextList words, int before = 48, int after = 24)
    {
        var from = Math.Max(0, start - before);
        var to = Math.Min(text.Length, end + after);
        var left = text.AsSpan(from, start - from);
        var right = text.AsSpan(end, to - end);
        // Context counts within the sentence: a word in the previous or next sentence says nothing.
        var cut = left.LastIndexOfAny(SentenceEnds);
        if (cut >= 0 && left[cut] == '\n')
        {
            // A line that ended a sentence, or a blank line, ends the context even right before the candidate ("…the
            // customer's tone.\nShip the …"); a label line does not ("Patient name:\nJordan").
            var line = left[..cut].TrimEnd(" \t\r");
            if (line.Length == 0 || line[^1] is '.' or '!' or '?' or '\n')
            {
                left = left[(cut + 1)..];
            }
        }
        else if (cut >= 0 && cut + 1 < left.Length && left[cut + 1] == ' ')
        {
            left = left[(cut + 1)..];
        }
        // After the candidate, context ends with its sentence or its line ("…build 20240311.\n\nThe account of …").
        var stop = right.IndexOf(". ", StringComparison.Ordinal);
        var lineEnd = right.IndexOf('\n');
        if (lineEnd >= 0 && (stop < 0 || lineEnd < stop))
        {
            stop = lineEnd;
        }
        if (stop >= 0)
        {
            right = right[..stop];
        }
        return words.OccursIn(left) || words.OccursIn(right);
    }

    /// <summary>
    /// Finds a word starting at a word boundary ("ip" in "my ip is", not in "ship"); a word may continue
    /// ("birth" in "birthday") unless it is short ("pan" does not fire inside "panel").
    /// </summary>
    internal static bool ContainsAny(ReadOnlySpan<char> haystack, string[] words, SearchValues<string> search)
    {
        var offset = 0;
        while (offset < haystack.Length)
        {
            var i = haystack[offset..].IndexOfAny(search);
            if (i < 0)
            {
                return false;
            }
            var at = offset + i;
            if ((at == 0 || !char.IsLetter(haystack[at - 1])) && ContextList.StartsHere(haystack, at, words))
            {
                return true;
            }
            offset = at + 1;
        }
        return false;
    }
}

/// <summary>
/// Context words and their one vectorized multi-string search, built once: context checks run for every candidate, and one
/// search per word was the largest single cost of detection (then a per-call lookup of the search by its array ~2%).
/// </summary>
internal sealed class ContextList
{
    // Words by their first two letters (ASCII, lower case), and by the first alone when the second is no ASCII letter ("a/c",
    // "né le"): a window is walked word start by word start, and only words sharing those letters are compared. A search for
    // the words anywhere spent most of its time confirming hits inside other words ("hi" in "this", "ms" in "items").
    private readonly string[]?[]? _byPair;
    private readonly string[]?[]? _byFirst;

    public ContextList(string[] words)
    {
        Words = words;
        Search = SearchValues.Create(words, StringComparison.OrdinalIgnoreCase);
        if (words.All(w => w.Length > 0 && char.IsAsciiLetter(w[0])))
        {
            var byPair = new List<string>?[26 * 26];
            var byFirst = new List<string>?[26];
            foreach (var w in words)
            {
                var a = char.ToLowerInvariant(w[0]) - 'a';
                if (w.Length > 1 && char.IsAsciiLetter(w[1]))
                {
                    (byPair[(a * 26) + (char.ToLowerInvariant(w[1]) - 'a')] ??= []).Add(w);
                }
                else
                {
                    (byFirst[a] ??= []).Add(w);
                }
            }
            _byPair = [.. byPair.Select(l => l?.ToArray())];
            _byFirst = [.. byFirst.Select(l => l?.ToArray())];
        }
    }

    public string[] Words { get; }

    public SearchValues<string> Search { get; }

    public int Count => Words.Length;

    /// <summary>
    /// Whether one of the words starts at a word boundary in <paramref name="haystack"/> ("ip" in "my ip is", not in "ship"); a word
    /// may continue ("birth" in "birthday") unless it is short ("pan" does not fire inside "panel").
    /// </summary>
    public bool OccursIn(ReadOnlySpan<char> haystack)
    {
        if (_byPair is null || _byFirst is null)
        {
            return ContextWords.ContainsAny(haystack, Words, Search);
        }
        for (var i = 0; i < haystack.Length; i++)
        {
            var c = haystack[i];
            if (!char.IsAsciiLetter(c) || (i > 0 && char.IsLetter(haystack[i - 1])))
            {
                continue;
            }
            var a = (c | 0x20) - 'a';
            if (i + 1 < haystack.Length && char.IsAsciiLetter(haystack[i + 1])
                && _byPair[(a * 26) + ((haystack[i + 1] | 0x20) - 'a')] is { } paired && StartsHere(haystack, i, paired))
            {
                return true;
            }
            if (_byFirst[a] is { } single && StartsHere(haystack, i, single))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>One of <paramref name="candidates"/> starts at <paramref name="at"/>, whole when it is short.</summary>
    internal static bool StartsHere(ReadOnlySpan<char> haystack, int at, string[] candidates)
    {
        var rest = haystack[at..];
        foreach (var word in candidates)
        {
            if (rest.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                var endAt = at + word.Length;
                if (word.Length > 4 || endAt >= haystack.Length || !char.IsLetter(haystack[endAt]))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
