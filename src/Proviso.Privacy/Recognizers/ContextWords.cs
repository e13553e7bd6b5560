namespace Proviso.Privacy.Recognizers;

/// <summary>Words that, near a candidate, make it more (or less) likely to be the entity.</summary>
internal static class ContextWords
{
    private static readonly System.Buffers.SearchValues<char> SentenceEnds = System.Buffers.SearchValues.Create(".!?\n");

    public static readonly IReadOnlyDictionary<string, string[]> Positive = new Dictionary<string, string[]>
    {
        [Entities.Phone] = ["phone", "call", "tel", "mobile", "cell", "fax", "contact", "whatsapp", "sms", "text me", "reach me", "ring", "desk", "direct line", "landline"],
        [Entities.CreditCard] = ["card", "credit", "visa", "mastercard", "amex", "cc", "payment", "pan", "debit", "expir"],
        [Entities.UsSsn] = ["ssn", "social security", "social sec", "ss#", "ss #"],
        [Entities.UsItin] = ["itin", "taxpayer", "tax id"],
        [Entities.AbaRouting] = ["routing", "aba", "rtn", "transit"],
        [Entities.UsBankNumber] = ["account", "acct", "bank", "checking", "savings", "a/c"],
        [Entities.UsPassport] = ["passport"],
        [Entities.UsDriverLicense] = ["driver", "license", "licence", "dl#", "dl #", "dl:", "dmv", "driving"],
        [Entities.NlBsn] = ["bsn", "burgerservicenummer", "sofinummer", "sofi"],
        [Entities.UkNhs] = ["nhs", "health service", "patient"],
        [Entities.UkNino] = ["national insurance", "nino", "ni number", "ni no"],
        [Entities.InAadhaar] = ["aadhaar", "aadhar", "uidai", "uid"],
        [Entities.InPan] = ["pan", "permanent account", "income tax"],
        [Entities.DeTaxId] = ["steuer", "steuerid", "steueridentifikationsnummer", "idnr", "tax id", "tin"],
        [Entities.FrNir] = ["nir", "sécurité sociale", "securite sociale", "insee", "numéro de sécu", "social security"],
        [Entities.AuTfn] = ["tfn", "tax file"],
        [Entities.DateOfBirth] = ["born", "birth", "dob", "d.o.b", "birthday", "birthdate", "date of birth", "geboren", "né le", "née le", "age"],
        [Entities.MedicalRecordNumber] = ["mrn", "medical record", "patient id", "patient number", "chart", "hospital number", "record no", "record number"],
        [Entities.StreetAddress] = ["address", "live", "lives", "living", "located", "ship", "deliver", "mail to", "street", "residence", "postcode", "zip", "resides"],
        [Entities.Secret] = ["key", "secret", "token", "password", "passwd", "pwd", "credential", "bearer", "auth", "api_key", "apikey"],
        [Entities.Crypto] = ["wallet", "bitcoin", "btc", "eth", "crypto", "address", "send"],
        [Entities.Person] = ["name", "called", "dear", "hi", "hello", "thanks", "regards", "customer", "patient", "contact", "signed", "sincerely", "mr", "mrs", "ms", "attn", "employee", "manager", "colleague", "spoke with", "met with"],
        [Entities.IpAddress] = ["ip", "address", "host", "server", "client"],
    };

    public static readonly IReadOnlyDictionary<string, string[]> Negative = new Dictionary<string, string[]>
    {
        [Entities.Phone] = ["order", "invoice", "tracking", "ref", "isbn", "serial", "version", "build", "sku"],
        [Entities.UsBankNumber] = ["order", "invoice", "tracking", "phone"],
        [Entities.IpAddress] = ["version", "v.", "release"],
        [Entities.CreditCard] = ["order", "tracking", "invoice no"],
    };

    // One vectorized multi-string search per word list instead of one search per word: context checks run for
    // every candidate, and were the largest single cost of detection.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string[], System.Buffers.SearchValues<string>> Searches = new();

    private static System.Buffers.SearchValues<string> SearchFor(string[] words) =>
        Searches.GetValue(words, w => System.Buffers.SearchValues.Create(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when any of <paramref name="words"/> occurs in the window around [start, end).</summary>
    /// <remarks>Pass long-lived arrays (the built-in lists): their search is built once and kept.</remarks>
    public static bool Near(string text, int start, int end, string[] words, int before = 48, int after = 24)
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
        var search = SearchFor(words);
        return ContainsAny(left, words, search) || ContainsAny(right, words, search);
    }

    /// <summary>
    /// Finds a word starting at a word boundary ("ip" in "my ip is", not in "ship"); a word may continue
    /// ("birth" in "birthday") unless it is short ("pan" does not fire inside "panel").
    /// </summary>
    private static bool ContainsAny(ReadOnlySpan<char> haystack, string[] words, System.Buffers.SearchValues<string> search)
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
            if (at == 0 || !char.IsLetter(haystack[at - 1]))
            {
                var rest = haystack[at..];
                foreach (var word in words)
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
            }
            offset = at + 1;
        }
        return false;
    }
}
