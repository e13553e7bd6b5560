namespace Proviso.Privacy.Recognizers;

internal static partial class TextScanner
{
    [Flags]
    private enum WordFlags : byte
    {
        None = 0,
        Stop = 1,
        Given = 2,
        Surname = 4,
        Ambiguous = 8,
        City = 16,
        StreetType = 32,
        Title = 64,
        /// <summary>A country, state or region, or an address unit word ("Apt"): not a name on its own.</summary>
        Place = 128,
    }

    // Prose repeats its capitalized words; one ordinal lookup in a per-thread cache replaces
    // the six case-insensitive lexicon lookups a word would otherwise cost each time it appears.
    [ThreadStatic]
    private static WordCache? t_wordCache;

    /// <summary>The cache and its span lookup, made once per thread (getting the lookup type-checks the comparer).</summary>
    private sealed class WordCache
    {
        public readonly Dictionary<string, WordFlags> Words = new(StringComparer.Ordinal);
        public readonly Dictionary<string, WordFlags>.AlternateLookup<ReadOnlySpan<char>> Lookup;

        public WordCache() => Lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();

        // In front of the dictionary, one slot per cheap hash of the word (length, first, middle and last letter): the few
        // words prose keeps capitalizing ("The", "We", "Please", a name) are found with one compare, no full hash or probe.
        public readonly string?[] SlotWords = new string?[SlotCount];
        public readonly WordFlags[] SlotFlags = new WordFlags[SlotCount];
        public const int SlotCount = 256;

        public static int Slot(ReadOnlySpan<char> word) =>
            ((word.Length * 61) ^ (word[0] * 7) ^ (word[^1] * 31) ^ (word[word.Length >> 1] * 3)) & (SlotCount - 1);
    }

    private static WordFlags Flags(ReadOnlySpan<char> word)
    {
        var words = t_wordCache ??= new WordCache();
        if (word.IsEmpty)
        {
            return WordFlags.None;
        }
        var slot = WordCache.Slot(word);
        if (words.SlotWords[slot] is { } seen && word.SequenceEqual(seen))
        {
            return words.SlotFlags[slot];
        }
        if (!words.Lookup.TryGetValue(word, out var key, out var flags))
        {
            flags = (Lexicon.Stop.Contains(word) ? WordFlags.Stop : 0)
                | (Lexicon.GivenNames.Contains(word) ? WordFlags.Given : 0)
                | (Lexicon.Surnames.Contains(word) ? WordFlags.Surname : 0)
                | (Lexicon.Ambiguous.Contains(word) ? WordFlags.Ambiguous : 0)
                | (Lexicon.Cities.Contains(word) ? WordFlags.City : 0)
                | (Lexicon.StreetTypes.Contains(word) ? WordFlags.StreetType : 0)
                | (Lexicon.Titles.Contains(word) ? WordFlags.Title : 0)
                | (Lexicon.Places.Contains(word) || Lexicon.Units.Contains(word) ? WordFlags.Place : 0);
            if (words.Words.Count > 100_000)
            {
                words.Words.Clear();
            }
            key = word.ToString();
            words.Words[key] = flags;
        }
        words.SlotWords[slot] = key;
        words.SlotFlags[slot] = flags;
        return flags;
    }

    /// <summary>A capitalized word that could be part of a name: "Anna", "O'Neil", "McDonald", "Jean-Luc".</summary>
    private static bool IsNameWord(ReadOnlySpan<char> token)
    {
        if (token.Length < 2 || token.Length > 24 || !char.IsUpper(token[0]))
        {
            return false;
        }
        var lower = 0;
        for (var k = 1; k < token.Length; k++)
        {
            var c = token[k];
            if (char.IsLower(c))
            {
                lower++;
            }
            else if (c is '\'' or '’' or '-')
            {
                // Inside a name, between letters: "O'Neil", "D’Angelo", "Jean-Luc", "Smith-Jones".
                if (k + 1 >= token.Length || !char.IsLetter(token[k + 1]) || !char.IsLetter(token[k - 1]))
                {
                    return false;
                }
            }
            else if (!char.IsUpper(c))
            {
                return false;
            }
        }
        return lower > 0 && (Flags(token) & WordFlags.Stop) == 0 && !IsCoreTitle(token);
    }

    private static int NameTokenEnd(string text, int start)
    {
        var e = start;
        while (e < text.Length && (char.IsLetter(text[e]) || ((text[e] is '\'' or '’' or '-') && e + 1 < text.Length && char.IsLetter(text[e + 1]) && e > start)))
        {
            if (IsPossessiveAt(text, e))
            {
                break; // "Arne's": the name is "Arne"
            }
            e++;
        }
        return e;
    }

    /// <summary>Scores a run of capitalized words at <paramref name="start"/> as a person's name; returns where the run ends.</summary>
    private static int TryPerson(string text, int start, List<Candidate> output)
    {
        var tokenBuffer = default(Buffer4<(int Start, int End)>);
        Span<(int Start, int End)> tokens = tokenBuffer;
        var count = 0;
        var pos = start;
        while (count < 4 && pos < text.Length)
        {
            int end;
            if (char.IsUpper(text[pos]) && pos + 1 < text.Length && text[pos + 1] == '.' && (pos + 2 >= text.Length || text[pos + 2] == ' '))
            {
                end = pos + 2; // an initial: "J."
            }
            else
            {
                end = NameTokenEnd(text, pos);
                if (end == pos || !IsNameWord(text.AsSpan(pos, end - pos)) && !(count > 0 && IsParticle(text.AsSpan(pos, end - pos))))
                {
                    break;
                }
            }
            tokens[count++] = (pos, end);
            if (end + 1 < text.Length && text[end] == ' ' && (char.IsUpper(text[end + 1]) || IsParticleAt(text, end + 1)))
            {
                pos = end + 1;
                continue;
            }
            break;
        }
        // Particles may not end a name ("Anna van").
        while (count > 1 && IsParticle(text.AsSpan(tokens[count - 1].Start, tokens[count - 1].End - tokens[count - 1].Start)))
        {
            count--;
        }
        if (count == 0)
        {
            return start + 1;
        }
        var runEnd = tokens[count - 1].End;
        if (count == 1 && (Flags(text.AsSpan(start, runEnd - start)) & (WordFlags.Given | WordFlags.Surname | WordFlags.Ambiguous)) == 0
            && !(runEnd == start + 2 && text[start + 1] == '.') && !MayBeNamedByContext(text, start, runEnd, out _) && !TitleBefore(text, start))
        {
            // One capitalized word no name list knows ("Several", "Quick"), untitled and with none of the contexts that name a
            // person: nothing below could score it, so no street or lexicon checks.
            return runEnd;
        }
        if ((Lexicon.StreetTypes.Contains(text.AsSpan(tokens[count - 1].Start, tokens[count - 1].End - tokens[count - 1].Start)) && NumberBefore(text, start))
            || (count > 1 && IsStreetPrefix(text.AsSpan(tokens[0].Start, tokens[0].End - tokens[0].Start))))
        {
            return runEnd; // "742 Evergreen Terrace" is a street, not a person.
        }
        if (StreetWordAfter(text, runEnd))
        {
            return runEnd; // "Whittaker Street", "Nelson Mandela Drive"
        }
        var titled = TitleBefore(text, start);
        if (!titled && count >= 2 && IsOrganizationWord(text.AsSpan(tokens[count - 1].Start, tokens[count - 1].End - tokens[count - 1].Start)))
        {
            return runEnd; // "Nera Economic Consulting", "Entertainment Weekly", "Morgan Stanley Bank": an organization.
        }
        var sentenceStart = IsSentenceStart(text, start);
        if (count == 1 && !titled)
        {
            // One word no lexicon needs to know, named as a person by what surrounds it: "my kid Mali", "Arne's address", "Jakobine, can I …".
            var nameEnd = tokens[0].End;
            // A relation names even a place word ("my daughter Georgia"); a possessive or a greeting does not ("France's address").
            // Cheap tests first: most single capitalized words have none of the three contexts.
            if (MayBeNamedByContext(text, start, nameEnd, out var possessive) && PersonContext(text, tokens[0].Start, nameEnd, possessive,
                (Flags(text.AsSpan(tokens[0].Start, nameEnd - tokens[0].Start)) & (WordFlags.Place | WordFlags.City | WordFlags.Stop)) != 0))
            {
                output.Add(new Candidate(Entities.Person, tokens[0].Start, nameEnd, 0.75, "person/context"));
                return runEnd;
            }
        }

        var given = 0;
        var surname = 0;
        var ambiguous = 0;
        var known = 0;
        for (var k = 0; k < count; k++)
        {
            var w = text.AsSpan(tokens[k].Start, tokens[k].End - tokens[k].Start);
            if (w.Length == 2 && w[1] == '.')
            {
                continue;
            }
            var flags = Flags(w);
            var g = (flags & WordFlags.Given) != 0;
            var s = (flags & WordFlags.Surname) != 0;
            given += g ? 1 : 0;
            surname += s ? 1 : 0;
            known += g || s ? 1 : 0;
            ambiguous += (flags & WordFlags.Ambiguous) != 0 ? 1 : 0;
        }

        double score;
        string rule;
        if (titled)
        {
            score = 0.9;
            rule = "person/title";
        }
        else if (count >= 2 && known >= 2 && given >= 1)
        {
            score = 0.85;
            rule = "person/given+surname";
        }
        else if (count >= 2 && known >= 1 && given + surname >= 1 && IsInitial(text, tokens[0]))
        {
            score = 0.8;
            rule = "person/initial+surname";
        }
        else if (count >= 2 && known >= 1 && !sentenceStart)
        {
            score = 0.55;
            rule = "person/partial-lexicon";
        }
        else if (count is 2 or 3 && given >= 1 && ambiguous == 0 && IsGivenName(text, tokens[0]) && (LineStart(text, start) || NameLine(text, start, runEnd)))
        {
            // A sentence may open with anything capitalized, but a line that opens with a given name and an unknown
            // capitalized word is a signature, a letter head or an address block: "Michael Urner", "Ronald Pesälä\nTableau Software".
            score = NameLine(text, start, runEnd) ? 0.7 : 0.55;
            rule = "person/name-line";
        }
        else if (count == 1 && known == 1 && ambiguous == 0)
        {
            var w = text.AsSpan(tokens[0].Start, tokens[0].End - tokens[0].Start);
            score = sentenceStart ? 0.3 : 0.5;
            if ((Flags(w) & WordFlags.City) != 0)
            {
                score -= 0.2;
            }
            if ((Flags(w) & WordFlags.Place) != 0 || IsOrganizationWord(w))
            {
                // "to Texas", "Poland is moving", "Apt. 584": a place or an address word; only strong context ("Dear France") makes it a name.
                score -= 0.3;
            }
            rule = "person/single-name";
        }
        else if (count == 1 && ambiguous == 1)
        {
            score = 0.2;
            rule = "person/ambiguous+context";
        }
        else
        {
            return runEnd;
        }
        output.Add(new Candidate(Entities.Person, tokens[0].Start, runEnd, score, rule));
        return runEnd;
    }

    /// <summary>
    /// The cheap signs that the single capitalized word [<paramref name="start"/>, <paramref name="end"/>) may be named as a
    /// person by what surrounds it: a possessive or a comma after it ("Arne's", "Jakobine, can I …"), a lower-case word before it
    /// ("my kid Mali"). <see cref="PersonContext"/> then decides.
    /// </summary>
    private static bool MayBeNamedByContext(string text, int start, int end, out bool possessive)
    {
        possessive = end < text.Length && IsPossessiveAt(text, end);
        return possessive || (end < text.Length && text[end] == ',') || (start > 1 && text[start - 1] == ' ' && char.IsLower(text[start - 2]));
    }

    private static readonly WordSet RelationNouns = new(
        ["kid", "kids", "son", "daughter", "child", "baby", "wife", "husband", "partner", "mother", "father", "mom", "mum", "dad", "brother", "sister",
         "cousin", "uncle", "aunt", "grandmother", "grandfather", "grandma", "grandpa", "niece", "nephew", "girlfriend", "boyfriend", "fiance", "fiancé",
         "fiancée", "friend", "boss", "colleague", "coworker", "co-worker", "manager", "neighbor", "neighbour", "assistant", "client", "patient",
         "tenant", "landlord", "roommate", "flatmate", "teacher", "student", "nanny", "caregiver", "spouse", "stepson", "stepdaughter"]);

    /// <summary>What only a person has: "Sumaya's kid", "Delvis's wife" name the owner whatever the word.</summary>
    private static readonly WordSet KinNouns = new(
        ["kid", "kids", "son", "daughter", "child", "children", "wife", "husband", "mother", "father", "mom", "mum", "dad", "brother", "sister",
         "family", "girlfriend", "boyfriend", "parents", "birthday", "diagnosis", "passport"]);

    /// <summary>What people and organizations both have: "Arne's address" names a person only when "Arne" is a known given name ("the Board's address" is not; surnames are too often words).</summary>
    private static readonly WordSet ContactNouns = new(
        ["address", "phone", "email", "e-mail", "account", "number", "boss", "friend", "partner", "salary"]);

    /// <summary>Words that open a line with a comma without naming anyone: "Sorry, can I …", "Please, could you …".</summary>
    private static readonly WordSet Interjections = new(
        ["Sorry", "Please", "Hello", "Hi", "Hey", "Yes", "No", "Okay", "OK", "Ok", "Well", "So", "Now", "Also", "However", "Excuse", "Thanks", "Oh",
         "Sure", "Right", "Anyway", "Actually", "Honestly", "Seriously", "Listen", "Look", "Sir", "Madam", "Folks", "Everyone", "Team", "Guys", "Friends"]);

    private static bool IsPossessiveAt(string text, int i) =>
        text[i] is '\'' or '’' && i + 1 < text.Length && text[i + 1] == 's' && (i + 2 == text.Length || !char.IsLetter(text[i + 2]));

    private static bool PersonContext(string text, int start, int end, bool possessive, bool placeLike)
    {
        if (possessive)
        {
            if (placeLike)
            {
                return false;
            }
            var n = end + 2;
            if (n < text.Length && text[n] == ' ')
            {
                var e = ++n;
                while (e < text.Length && (char.IsLetter(text[e]) || text[e] == '-'))
                {
                    e++;
                }
                var owned = text.AsSpan(n, e - n);
                return KinNouns.Contains(owned)
                    || (ContactNouns.Contains(owned) && (Flags(text.AsSpan(start, end - start)) & WordFlags.Given) != 0 && !IsOrganizationWord(text.AsSpan(start, end - start)));
            }
            return false;
        }
        // "my kid Mali", "her husband Omar"
        var relationStart = start;
        var relation = ReadOnlySpan<char>.Empty;
        if (start > 0 && text[start - 1] == ' ')
        {
            relation = WordBefore(text, SkipSpacesBack(text, start), out relationStart);
        }
        if (relation.Length >= 3 && char.IsLower(relation[0]) && RelationNouns.Contains(relation))
        {
            var owner = WordBefore(text, SkipSpacesBack(text, relationStart), out _);
            if (owner is "my" or "My" or "your" or "Your" or "his" or "His" or "her" or "Her" or "our" or "Our" or "their" or "Their")
            {
                return true;
            }
        }
        // A line that opens by addressing someone: "Jakobine, can I please speak to your boss?"
        if (!placeLike && LineStart(text, start) && end + 2 < text.Length && text[end] == ',' && text[end + 1] == ' ' && !Interjections.Contains(text.AsSpan(start, end - start)))
        {
            var w = end + 2;
            var e = w;
            while (e < text.Length && char.IsLetter(text[e]))
            {
                e++;
            }
            return text.AsSpan(w, e - w) is "can" or "could" or "would" or "will" or "please" or "are" or "do" or "did" or "have" or "thank" or "thanks" or "I" or "you" or "we" or "how" or "where" or "when";
        }
        return false;
    }

    private static bool StreetWordAfter(string text, int end)
    {
        if (end + 2 >= text.Length || text[end] != ' ' || !char.IsUpper(text[end + 1]))
        {
            return false;
        }
        var e = end + 1;
        while (e < text.Length && char.IsLetter(text[e]))
        {
            e++;
        }
        return text.AsSpan(end + 1, e - end - 1) is "Street" or "Avenue" or "Road" or "Boulevard" or "Drive" or "Terrace" or "Straße" or "Strasse";
    }

    /// <summary>Street names that open with their type: "Rue …", "Via …", "Avenida …", "Calle …".</summary>
    private static bool IsStreetPrefix(ReadOnlySpan<char> word) =>
        word is "Rue" or "Via" or "Viale" or "Avenida" or "Avenue" or "Calle" or "Rua" or "Piazza" or "Plaza" or "Boulevard" or "Chemin" or "Corso" or "Carrer" or "Strada" or "Ulica";

    private static bool NumberBefore(string text, int start)
    {
        var e = start - 1;
        if (e < 1 || text[e] != ' ')
        {
            return false;
        }
        return char.IsAsciiDigit(text[e - 1]) || (e >= 2 && char.IsAsciiLetter(text[e - 1]) && char.IsAsciiDigit(text[e - 2]));
    }

    private static bool IsInitial(string text, (int Start, int End) t) => t.End - t.Start == 2 && text[t.Start + 1] == '.';

    private static bool IsParticle(ReadOnlySpan<char> w) =>
        w is "van" or "von" or "der" or "den" or "de" or "del" or "della" or "di" or "da" or "du" or "la" or "le" or "bin" or "ibn" or "al" or "ter" or "ten";

    private static bool IsParticleAt(string text, int i)
    {
        var e = i;
        while (e < text.Length && char.IsLower(text[e]))
        {
            e++;
        }
        return e > i && e < text.Length && text[e] == ' ' && IsParticle(text.AsSpan(i, e - i));
    }

    private static bool TitleBefore(string text, int start)
    {
        var e = start - 1;
        while (e >= 0 && text[e] == ' ')
        {
            e--;
        }
        if (e >= 0 && text[e] == '.')
        {
            e--;
        }
        var b = e;
        while (b >= 0 && char.IsLetter(text[b]))
        {
            b--;
        }
        var word = text.AsSpan(b + 1, e - b);
        if (word.Length == 0 || word.Length > 12 || e >= start - 1)
        {
            return false;
        }
        // Lower-case titles only from the core set ("ms. Wijtze"); otherwise "pm." or "des" would title the next word.
        // The title list directly: a title is rarely asked about again, and it would take a slot of the word cache.
        return char.IsUpper(word[0]) ? Lexicon.Titles.Contains(word) : IsCoreTitle(word);
    }

    internal static bool IsCoreTitle(ReadOnlySpan<char> word) =>
        word.Length is >= 2 and <= 4 && (word.Equals("mr", StringComparison.OrdinalIgnoreCase) || word.Equals("mrs", StringComparison.OrdinalIgnoreCase)
        || word.Equals("ms", StringComparison.OrdinalIgnoreCase) || word.Equals("miss", StringComparison.OrdinalIgnoreCase)
        || word.Equals("dr", StringComparison.OrdinalIgnoreCase) || word.Equals("prof", StringComparison.OrdinalIgnoreCase)
        || word.Equals("mx", StringComparison.OrdinalIgnoreCase) || word.Equals("sir", StringComparison.OrdinalIgnoreCase));

    private static readonly WordSet OrganizationWords = new(
        ["Inc", "Inc.", "Ltd", "Ltd.", "LLC", "LLP", "PLC", "GmbH", "AG", "Corp", "Corp.", "Corporation", "Company", "Co.", "Group", "Consulting",
         "Software", "Solutions", "Systems", "Partners", "Associates", "Holdings", "Bank", "University", "College", "Foundation", "Institute",
         "Labs", "Laboratories", "Technologies", "Services", "Studios", "Media", "Weekly", "Times", "News", "Magazine", "Records", "Hospital",
         "Clinic", "Airlines", "Insurance", "Capital", "Ventures", "Industries", "Enterprises", "Agency", "Council", "Ministry", "Committee"]);

    private static bool IsOrganizationWord(ReadOnlySpan<char> word) => OrganizationWords.Contains(word);

    /// <summary>
    /// A word of a detected full name that, alone, still means that person ("Mali" of "Mali Okafor"): a capitalized name word
    /// of three letters or more that is no common word, title, place or word that is often something else ("Will", "May").
    /// </summary>
    internal static bool IsDistinctNamePart(ReadOnlySpan<char> word) =>
        word.Length >= 3 && IsNameWord(word) && (Flags(word) & (WordFlags.Stop | WordFlags.Ambiguous | WordFlags.City | WordFlags.StreetType | WordFlags.Title | WordFlags.Place)) == 0
        ;

    private static bool IsGivenName(string text, (int Start, int End) t)
    {
        var flags = Flags(text.AsSpan(t.Start, t.End - t.Start));
        return (flags & WordFlags.Given) != 0 && (flags & (WordFlags.Ambiguous | WordFlags.Place | WordFlags.City)) == 0;
    }

    /// <summary>The run opens its line (or the text), ignoring indentation.</summary>
    private static bool LineStart(string text, int start)
    {
        var e = start - 1;
        while (e >= 0 && text[e] is ' ' or '\t')
        {
            e--;
        }
        return e < 0 || text[e] is '\n' or '\r';
    }

    /// <summary>The run is its line's whole content: "\nMichael Urner\n".</summary>
    private static bool NameLine(string text, int start, int end)
    {
        if (!LineStart(text, start))
        {
            return false;
        }
        var e = end;
        while (e < text.Length && text[e] is ' ' or '\t' or ',')
        {
            e++;
        }
        return e >= text.Length || text[e] is '\n' or '\r';
    }

    private static bool IsSentenceStart(string text, int start)
    {
        var e = start - 1;
        while (e >= 0 && text[e] is ' ' or '"' or '\'' or '“' or '(' or '\t')
        {
            e--;
        }
        return e < 0 || text[e] is '.' or '!' or '?' or '\n' or '\r' or ':' or ';' or '-' or '•' or '*' or '>';
    }

    // ---------------------------------------------------------------- addresses

    [ThreadStatic]
    private static List<(int Start, int End)>? t_taken;

    /// <summary>
    /// Which of <paramref name="spans"/> (sorted by start) holds <paramref name="position"/>, or -1; positions are asked in rising
    /// order, and <paramref name="next"/> keeps the walk's place between calls.
    /// </summary>
    private static int Covering(List<(int Start, int End)> spans, ref int next, int position)
    {
        while (next < spans.Count && spans[next].End <= position)
        {
            next++;
        }
        return next < spans.Count && spans[next].Start <= position ? next : -1;
    }

    private static void ScanAddresses(string text, List<Candidate> output)
    {
        var span = text.AsSpan();
        var i = 0;
        // Digits inside an identifier already found and validated (an IBAN's or a card's groups, an IP address's octets, an
        // e-mail address's) are no house number: skipped, they spare a street match per digit group.
        var taken = t_taken ??= new List<(int, int)>(8);
        taken.Clear();
        foreach (var c in output)
        {
            if (c.Score >= 0.85 && c.Type is not (Entities.Person or Entities.StreetAddress or Entities.DateOfBirth))
            {
                taken.Add((c.Start, c.End));
            }
        }
        if (taken.Count > 1)
        {
            taken.Sort();
        }
        var next = 0;
        while (i < text.Length)
        {
            var rel = span[i..].IndexOfAny(Digits);
            if (rel < 0)
            {
                break;
            }
            var start = i + rel;
            if (Covering(taken, ref next, start) is var inside and >= 0)
            {
                i = taken[inside].End;
                continue;
            }
            var end = start;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }
            EuropeanStreetBefore(text, start, end, output);
            if (end < text.Length && char.IsAsciiLetter(text[end]) && (end + 1 >= text.Length || !char.IsLetterOrDigit(text[end + 1])))
            {
                end++; // "221B"
            }
            // A house number stands alone: not the tail of "536-22-8726" or "12.5".
            var boundary = start == 0 || (!IsWordChar(text[start - 1]) && !(start >= 2 && text[start - 1] is '-' or '.' or '/' or ':' && char.IsAsciiDigit(text[start - 2])));
            if (boundary && end - start <= 6 && end < text.Length && text[end] == ' ')
            {
                var addressEnd = MatchStreetAfterNumber(text, end + 1);
                if (addressEnd > 0)
                {
                    addressEnd = ExtendAddressBlock(text, addressEnd, lowerCase: !text.AsSpan(start, addressEnd - start).ContainsAnyInRange('A', 'Z'));
                    output.Add(new Candidate(Entities.StreetAddress, PrecedingNumber(text, start), addressEnd, 0.8, "address/number+street"));
                    AddresseeAbove(text, PrecedingNumber(text, start), output);
                    i = addressEnd;
                    continue;
                }
                if (TryCuedAddress(text, start, output) is var cuedEnd && cuedEnd > 0)
                {
                    i = cuedEnd;
                    continue;
                }
            }
            i = Math.Max(end, start + 1);
        }
        if (taken.Capacity > 4096)
        {
            t_taken = null;
        }
        var keywords = t_keywords!;
        ScanPoBoxes(text, keywords, output);
        ScanLabeledPostcodes(text, keywords, output);
    }

    private static readonly string[] PostcodeLabels = ["zip code", "zipcode", "zip", "postcode", "post code", "postal code", "postleitzahl", "plz", "code postal"];

    /// <summary>
    /// The needles of <see cref="AddressKeywordSearch"/>: "www." (URLs without a scheme), "box " (PO boxes), then the postcode
    /// labels (declared after the labels: static fields are set in the order they are written).
    /// </summary>
    private static readonly string[] AddressKeywords = ["www.", "box ", .. PostcodeLabels];

    private static readonly System.Buffers.SearchValues<string> AddressKeywordSearch = System.Buffers.SearchValues.Create(AddressKeywords, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A postcode right after its label ("ZIP: 11164", "postcode SW1A 1AA", "PLZ 10115"): on its own a
    /// five-digit number is nothing, with the label it is part of an address.
    /// </summary>
    private static void ScanLabeledPostcodes(string text, List<int> keywords, List<Candidate> output)
    {
        var i = 0;
        foreach (var at in keywords)
        {
            // The hits of the shared search that are labels (not "www." or "box "), from where the last label left off.
            if (at < i || (text[at] | 0x20) is 'w' or 'b')
            {
                continue;
            }
            var label = FirstPrefix(PostcodeLabels, text, at, StringComparison.OrdinalIgnoreCase) ?? "";
            var p = at + label.Length;
            i = p + 1;
            // The label is a word of its own: not "zipper", not "escape".
            if (label.Length == 0 || (at > 0 && char.IsLetter(text[at - 1])) || (p < text.Length && char.IsLetter(text[p])))
            {
                continue;
            }
            while (p < text.Length && text[p] is ' ' or ':' or '#' or '\t' or '=' or '-')
            {
                p++;
            }
            if (p + 3 < text.Length && text.AsSpan(p).StartsWith("is ", StringComparison.OrdinalIgnoreCase))
            {
                p += 3;
            }
            var end = PostcodeEnd(text, p);
            if (end > p)
            {
                output.Add(new Candidate(Entities.StreetAddress, p, end, 0.75, "address/labeled-postcode"));
                i = end;
            }
        }
    }

    /// <summary>End of a postcode starting at <paramref name="p"/> (US ZIP / ZIP+4, 4-6 digit, UK, Canadian, Dutch), or <paramref name="p"/>.</summary>
    private static int PostcodeEnd(string text, int p)
    {
        var e = p;
        while (e < text.Length && char.IsAsciiDigit(text[e]))
        {
            e++;
        }
        var digits = e - p;
        if (digits is >= 4 and <= 6)
        {
            if (digits == 5 && e + 5 <= text.Length && text[e] == '-' && AllDigits(text.AsSpan(e + 1, 4)))
            {
                e += 5; // ZIP+4
            }
            else if (digits == 4 && e + 3 <= text.Length && text[e] == ' ' && char.IsAsciiLetterUpper(text[e + 1]) && char.IsAsciiLetterUpper(text[e + 2]))
            {
                e += 3; // Dutch "1234 AB"
            }
            return e < text.Length && char.IsLetterOrDigit(text[e]) ? p : e;
        }
        if (digits > 0)
        {
            return p;
        }
        // UK "SW1A 1AA", "M1 1AE"; Canadian "K1A 0B1".
        var m = System.Text.RegularExpressions.Regex.Match(text[p..Math.Min(text.Length, p + 9)], @"^(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d)\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        return m.Success ? p + m.Length : p;
    }

    /// <summary>After a house number: up to four words then a street type ("Main St", "Elm Avenue", "rue de Rivoli"), then unit, city, state, ZIP.</summary>
    private static int MatchStreetAfterNumber(string text, int from)
    {
        var pos = from;
        var streetTypeEnd = -1;
        var lowerCase = false;
        for (var w = 0; w < 5 && pos < text.Length; w++)
        {
            var e = pos;
            while (e < text.Length && (char.IsLetter(text[e]) || text[e] == '\''))
            {
                e++;
            }
            if (e == pos)
            {
                // Ordinals such as "5th" in "5th Avenue" (a bare number is not a street name).
                while (e < text.Length && char.IsLetterOrDigit(text[e]))
                {
                    e++;
                }
                if (e == pos || !text.AsSpan(pos, e - pos).ContainsAnyInRange('a', 'z'))
                {
                    return -1;
                }
            }
            var word = text.AsSpan(pos, e - pos);
            var isType = Lexicon.StreetTypes.Contains(word) && word.Length >= 2;
            if (IsAddressStopWord(word))
            {
                return -1; // "88 and Whittaker Street", "5 miles down the road"
            }
            if (w == 0 && !char.IsUpper(word[0]) && !char.IsDigit(word[0]) && !isType)
            {
                // All lower case ("8 wressle road"): at most two name words before the type.
                lowerCase = true;
            }
            if (lowerCase && w >= 2 && !isType)
            {
                return -1;
            }
            if (isType && w > 0)
            {
                // The dot of an abbreviation ("Main St.", "Elm Ave."); after a full word ("Main Street.") it ends the sentence.
                streetTypeEnd = e < text.Length && text[e] == '.' && word.Length <= 4 ? e + 1 : e;
                break;
            }
            if (isType && w == 0 && char.IsLower(word[0]))
            {
                // "12 rue de la Paix": the type comes first; take the following name words and particles.
                var n = e;
                for (var k = 0; k < 5; k++)
                {
                    if (!(n + 1 < text.Length && text[n] == ' ' && char.IsLetter(text[n + 1])))
                    {
                        break;
                    }
                    var ws = n + 1;
                    var m = ws;
                    while (m < text.Length && char.IsLetter(text[m]))
                    {
                        m++;
                    }
                    if (char.IsUpper(text[ws]))
                    {
                        n = m;
                        streetTypeEnd = m;
                    }
                    else if (IsParticle(text.AsSpan(ws, m - ws)))
                    {
                        n = m;
                    }
                    else
                    {
                        break;
                    }
                }
                if (streetTypeEnd < 0)
                {
                    return -1;
                }
                break;
            }
            if (e >= text.Length || text[e] != ' ')
            {
                return -1;
            }
            pos = e + 1;
        }
        if (streetTypeEnd < 0)
        {
            return -1;
        }
        return ExtendAddressTail(text, streetTypeEnd);
    }

    /// <summary>Optional directional, unit ("Apt 4B", "Suite 200"), city, two-letter state and ZIP after the street.</summary>
    private static int ExtendAddressTail(string text, int end)
    {
        var e = end;
        // directional: " NW", " N."
        var d = SkipWord(text, e, out var dir);
        // A directional is a word of its own: the "S" of "S1234567D" is not "south".
        if (dir is "N" or "S" or "E" or "W" or "NE" or "NW" or "SE" or "SW" && (d >= text.Length || !char.IsLetterOrDigit(text[d])))
        {
            e = d;
        }
        // unit
        var u = e;
        if (u < text.Length && text[u] == ',')
        {
            u++;
        }
        var afterUnitWord = SkipWord(text, u, out var unitWord);
        if (unitWord.Length > 0 && (Lexicon.Units.Contains(unitWord.TrimEnd('.')) || unitWord == "#"))
        {
            var n = afterUnitWord;
            if (n < text.Length && text[n] == '.')
            {
                n++;
            }
            while (n < text.Length && text[n] == ' ')
            {
                n++;
            }
            var m = n;
            while (m < text.Length && (char.IsLetterOrDigit(text[m]) || text[m] == '-'))
            {
                m++;
            }
            if (m > n && m - n <= 6)
            {
                e = m;
            }
        }
        else if (u < text.Length && text[u] == '#')
        {
            var m = u + 1;
            while (m < text.Length && char.IsLetterOrDigit(text[m]))
            {
                m++;
            }
            e = m > u + 1 ? m : e;
        }
        // ", City[, ST] [12345[-6789]]"
        if (e + 2 < text.Length && text[e] == ',' && text[e + 1] == ' ' && char.IsUpper(text[e + 2]))
        {
            var c = e + 2;
            var cityEnd = c;
            for (var k = 0; k < 3; k++)
            {
                var m = cityEnd;
                while (m < text.Length && (char.IsLetter(text[m]) || text[m] is '.' or '\''))
                {
                    m++;
                }
                if (m == cityEnd || !char.IsUpper(text[cityEnd]))
                {
                    break;
                }
                cityEnd = m;
                if (cityEnd + 1 < text.Length && text[cityEnd] == ' ' && char.IsUpper(text[cityEnd + 1]) && !IsStateAt(text, cityEnd + 1))
                {
                    cityEnd++;
                    continue;
                }
                break;
            }
            var s = cityEnd;
            if (s < text.Length && text[s] == ',')
            {
                s++;
            }
            if (s < text.Length && text[s] == ' ')
            {
                s++;
            }
            var stateOk = IsStateAt(text, s);
            var z = stateOk ? s + 2 : s;
            if (z < text.Length && text[z] == ' ')
            {
                z++;
            }
            var zipEnd = z;
            while (zipEnd < text.Length && char.IsAsciiDigit(text[zipEnd]))
            {
                zipEnd++;
            }
            var zipOk = zipEnd - z == 5;
            if (zipOk && zipEnd + 5 < text.Length && text[zipEnd] == '-' && AllDigits(text.AsSpan(zipEnd + 1, 4)))
            {
                zipEnd += 5;
            }
            if (stateOk || zipOk)
            {
                e = zipOk ? zipEnd : s + 2;
            }
        }
        return e;
    }

    private static bool IsStateAt(string text, int i) =>
        i + 2 <= text.Length && char.IsAsciiLetterUpper(text[i]) && char.IsAsciiLetterUpper(text[i + 1]) && (i + 2 == text.Length || !char.IsLetter(text[i + 2]));

    private static int SkipWord(string text, int i, out string word)
    {
        var s = i;
        while (s < text.Length && text[s] == ' ')
        {
            s++;
        }
        var e = s;
        while (e < text.Length && (char.IsLetter(text[e]) || text[e] == '#'))
        {
            e++;
        }
        word = text[s..e];
        return word.Length == 0 ? i : e;
    }

    private static void ScanPoBoxes(string text, List<int> keywords, List<Candidate> output)
    {
        foreach (var i in keywords)
        {
            if (!KeywordAt(text, i, "box "))
            {
                continue;
            }
            var s = i - 1;
            while (s >= 0 && text[s] == ' ')
            {
                s--;
            }
            var b = s;
            while (b >= 0 && (char.IsLetter(text[b]) || text[b] == '.'))
            {
                b--;
            }
            var prefix = text.AsSpan(b + 1, s - b).ToString().Replace(".", "", StringComparison.Ordinal);
            var n = i + 4;
            var e = n;
            while (e < text.Length && char.IsAsciiDigit(text[e]))
            {
                e++;
            }
            if (e > n && (prefix.Equals("PO", StringComparison.OrdinalIgnoreCase) || prefix.Equals("Office", StringComparison.OrdinalIgnoreCase)))
            {
                var start = prefix.Equals("Office", StringComparison.OrdinalIgnoreCase) ? Math.Max(0, text.LastIndexOf("Post", b + 1, StringComparison.OrdinalIgnoreCase)) : b + 1;
                output.Add(new Candidate(Entities.StreetAddress, start, ExtendAddressTail(text, e), 0.85, "address/po-box"));
            }
        }
    }

    private static readonly string[] EuropeanSuffixes = ["straße", "strasse", "str.", "weg", "gasse", "allee", "platz", "laan", "straat", "gracht", "plein", "vej", "gatan", "gade", "katu"];

    /// <summary>"Hauptstraße 5", "Keizersgracht 123": street word with a German/Dutch/Nordic suffix followed by a house number.</summary>
    /// <summary>
    /// A European street from its house number: "Hauptstraße 5", "Kerkstraat 12", "Storgatan 3B" — the word right before a
    /// number of at most four digits (a space between or none) is capitalized and ends in a street suffix. Run from the
    /// address scan's number loop: a separate multi-string search for the suffixes over the whole text cost ~6% of detection.
    /// </summary>
    private static void EuropeanStreetBefore(string text, int digitsStart, int digitsEnd, List<Candidate> output)
    {
        if (digitsEnd - digitsStart > 4 || digitsStart == 0)
        {
            return;
        }
        var wordEnd = text[digitsStart - 1] == ' ' ? digitsStart - 1 : digitsStart;
        if (wordEnd < 4 || !(char.IsLetter(text[wordEnd - 1]) || text[wordEnd - 1] == '.'))
        {
            return;
        }
        foreach (var suffix in EuropeanSuffixes)
        {
            var at = wordEnd - suffix.Length;
            if (at <= 0 || !text.AsSpan(at, suffix.Length).Equals(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var b = at;
            while (b > 0 && (char.IsLetter(text[b - 1]) || text[b - 1] == '-'))
            {
                b--;
            }
            if (b == at || !char.IsUpper(text[b]))
            {
                return;
            }
            var e = digitsEnd;
            if (e < text.Length && char.IsAsciiLetter(text[e]) && (e + 1 >= text.Length || !char.IsLetter(text[e + 1])))
            {
                e++;
            }
            // ", 10115 Berlin"
            var t = e;
            if (t + 2 < text.Length && text[t] == ',' && text[t + 1] == ' ' && char.IsAsciiDigit(text[t + 2]))
            {
                var z = t + 2;
                while (z < text.Length && char.IsAsciiDigit(text[z]))
                {
                    z++;
                }
                if (z - t - 2 is 4 or 5 && z + 1 < text.Length && text[z] == ' ' && char.IsUpper(text[z + 1]))
                {
                    var c = z + 1;
                    while (c < text.Length && char.IsLetter(text[c]))
                    {
                        c++;
                    }
                    e = c;
                }
            }
            output.Add(new Candidate(Entities.StreetAddress, PrecedingNumber(text, b), ExtendAddressBlock(text, e, lowerCase: false), 0.8, "address/european-street"));
            AddresseeAbove(text, PrecedingNumber(text, b), output);
            return;
        }
    }
}
