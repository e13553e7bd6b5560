using System.Buffers;
using System.Runtime.InteropServices;

namespace Proviso.Privacy;

/// <summary>A value detected in one text, to be found again in others (a request's other messages, a record's other fields).</summary>
/// <param name="Value">The detected text, exactly as it appeared.</param>
/// <param name="Type">Its entity type.</param>
/// <param name="Score">The score it was detected with; its repeats get the same.</param>
/// <param name="Rule">The rule that detected it; repeats report <c>Rule/repeat</c>.</param>
public readonly record struct KnownValue(string Value, string Type, double Score, string Rule)
{
    /// <summary>A word of a full name, checked against the lexicons only where it is found (most are never found again).</summary>
    internal bool NamePart { get; init; }
}

/// <summary>
/// Values detected in some texts — a request's messages, a record's fields — to be found again in the others, where nothing
/// around them may give them away: a name a cue revealed in the system prompt ("my kid Mali") is then also found in the user's
/// message ("a sick note for Mali"). Add each text's findings, then call <see cref="FindIn"/> for each text.
/// </summary>
public sealed class KnownValues
{
    // Found wherever they appear, by format and check digits: searching for them again finds nothing new.
    private static bool IsSelfEvident(string type) =>
        type is Entities.Email or Entities.Url or Entities.IpAddress or Entities.MacAddress or Entities.CreditCard or Entities.Iban or Entities.Crypto;

    private readonly List<KnownValue> _values = [];
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private PiiDetector.Repeats.Search? _search;

    /// <summary>Forgets every value (to reuse the instance for the next record).</summary>
    public void Clear()
    {
        _values.Clear();
        _seen.Clear();
        _search = null;
    }

    /// <summary>How many distinct values are known.</summary>
    public int Count => _values.Count;

    /// <summary>The known values, in the order they were first added.</summary>
    public IReadOnlyList<KnownValue> Values => _values;

    /// <summary>
    /// Remembers the values behind <paramref name="findings"/> in <paramref name="text"/>, once each, and the words of full
    /// names ("Mali" of "Mali Okafor"; a word that is often something else, like "Will", is dropped where it is found). Left
    /// out: values shorter than three characters (too many accidental repeats), types found wherever they appear (e-mail,
    /// URL, IP and MAC addresses, cards, IBANs, crypto addresses) and names only a lexicon hit found (a lone "Ship" opening a
    /// sentence would otherwise be masked everywhere).
    /// </summary>
    public void Add(string text, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        var list = findings as IReadOnlyList<Finding> ?? [.. findings];
        for (var i = 0; i < list.Count; i++)
        {
            AddOne(text, list[i], parts: false);
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Type == Entities.Person)
            {
                AddOne(text, list[i], parts: true);
            }
        }
    }

    private static bool IsKnowable(string text, Finding f) =>
        f.End - f.Start >= PiiDetector.Repeats.MinLength && f.End <= text.Length && !IsSelfEvident(f.Type)
        && (f.Type != Entities.Person || PiiDetector.Repeats.IsStrongName(f.Score, f.Rule));

    /// <summary>
    /// Whether the value behind <paramref name="f"/> (or a word of its name) occurs in <paramref name="other"/> at all — a
    /// cheap test before a record's values are collected: most records never repeat one.
    /// </summary>
    internal static bool AppearsIn(string text, Finding f, ReadOnlySpan<char> other)
    {
        if (!IsKnowable(text, f))
        {
            return false;
        }
        if (other.IndexOf(text.AsSpan(f.Start, f.End - f.Start), StringComparison.Ordinal) >= 0)
        {
            return true;
        }
        if (f.Type == Entities.Person)
        {
            foreach (var (s, e) in PiiDetector.Repeats.NameParts(text, f, checkWords: false))
            {
                if (other.IndexOf(text.AsSpan(s, e - s), StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>A finding's value, or the words of its name (<paramref name="parts"/>).</summary>
    internal void AddOne(string text, Finding f, bool parts)
    {
        if (!IsKnowable(text, f))
        {
            return;
        }
        if (!parts)
        {
            Remember(text[f.Start..f.End], f, namePart: false);
            return;
        }
        foreach (var (s, e) in PiiDetector.Repeats.NameParts(text, f, checkWords: false))
        {
            Remember(text[s..e], f, namePart: true);
        }
    }

    private void Remember(string value, Finding f, bool namePart)
    {
        if (_seen.TryGetValue(value, out var index))
        {
            if (_values[index].NamePart && !namePart)
            {
                // Found whole in its own right ("Anna" alone, not only in "Anna Berg"): no lexicon check for it.
                _values[index] = _values[index] with { NamePart = false };
                _search = null;
            }
        }
        else
        {
            _seen[value] = _values.Count;
            _values.Add(new KnownValue(value, f.Type, f.Score, f.Rule) { NamePart = namePart });
            _search = null;
        }
    }

    /// <summary>
    /// Adds to <paramref name="findings"/> (detected in <paramref name="text"/>) every whole-word occurrence of a known value
    /// where no finding is yet, and keeps the list ordered by position.
    /// </summary>
    /// <returns>How many findings were added.</returns>
    public int FindIn(string text, List<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        if (_values.Count == 0 || text.Length == 0)
        {
            return 0;
        }
        var words = (text.Length + 63) >> 6;
        Span<ulong> covered = words <= 64 ? stackalloc ulong[words] : new ulong[words];
        covered.Clear();
        foreach (var f in findings)
        {
            PiiDetector.Coverage.Set(covered, f.Start, Math.Min(f.End, text.Length));
        }
        var before = findings.Count;
        (_search ??= new PiiDetector.Repeats.Search(_values)).Run(text, findings, covered);
        if (findings.Count > before)
        {
            Recognizers.Ordering.SortByStart(findings);
        }
        return findings.Count - before;
    }
}

public sealed partial class PiiDetector
{
    /// <summary>Finds detected values again, as whole words, where nothing covers them yet.</summary>
    internal static class Repeats
    {
        public const int MinLength = 3;

        /// <summary>
        /// A name found by more than a lexicon hit: a cue, a title, a full name, a field named for it. A lone word the lexicons
        /// happen to list ("Ship" at a sentence start, scored just over the line) is not repeated: every other "Ship" of a long
        /// text would follow it.
        /// </summary>
        public static bool IsStrongName(double score, string rule) =>
            score >= 0.85 || (score >= 0.7 && !rule.StartsWith("person/single-name", StringComparison.Ordinal)
                && !rule.StartsWith("person/partial-lexicon", StringComparison.Ordinal) && !rule.StartsWith("person/ambiguous", StringComparison.Ordinal));

        /// <summary>Up to this many values, each is searched for on its own (vectorized); more share one pass.</summary>
        private const int SearchEach = 4;

        /// <summary>Repeats, within <paramref name="text"/>, of the values of the findings at <paramref name="sources"/>.</summary>
        public static void Add(string text, List<Finding> results, List<int> sources, Span<ulong> covered)
        {
            var taken = 0;
            foreach (var f in results)
            {
                taken += f.End - f.Start;
            }
            if (text.Length - taken < MinLength)
            {
                // The findings are the text (a cell, a field holding just a name): there is nowhere else to look.
                return;
            }
            if (sources.Count <= SearchEach || (sources.Count <= 16 && text.Length <= 4096))
            {
                // The usual case (a line, a cell, a message with a name or two): no allocation. Names and their words are
                // looked for together in one walk over the capital letters; anything else (rare) on its own.
                var nameBuffer = default(Recognizers.Buffer24<(int Start, int End, int Source, int Part)>);
                Span<(int Start, int End, int Source, int Part)> names = nameBuffer;
                var count = 0;
                for (var k = 0; k < sources.Count; k++)
                {
                    var f = results[sources[k]];
                    var value = text.AsSpan(f.Start, f.End - f.Start);
                    if (value.Length < MinLength || SeenBefore(text, results, sources, k, value))
                    {
                        continue;
                    }
                    if (f.Type != Entities.Person || !char.IsUpper(value[0]) || count > names.Length - 8)
                    {
                        SearchOne(text, value, f.Type, f.Score, f.Rule, results, covered);
                        continue;
                    }
                    names[count++] = (f.Start, f.End, sources[k], 0);
                    foreach (var (s, e) in NameParts(text, f, checkWords: false))
                    {
                        if (count < names.Length)
                        {
                            names[count++] = (s, e, sources[k], 1);
                        }
                    }
                }
                if (count > 0)
                {
                    SearchNames(text, names[..count], results, covered);
                }
                return;
            }
            // The same bookkeeping as KnownValues (whole values first, then the words of full names).
            var known = new KnownValues();
            foreach (var index in sources)
            {
                known.AddOne(text, results[index], parts: false);
            }
            foreach (var index in sources)
            {
                if (results[index].Type == Entities.Person)
                {
                    known.AddOne(text, results[index], parts: true);
                }
            }
            var values = known.Values;
            new Search(values).Run(text, results, covered);
        }

        /// <summary>The words of a detected full name that, alone, still name the person ("Mali" and "Okafor" of "Mali Okafor").</summary>
        public static NamePartEnumerator NameParts(string text, Finding f, bool checkWords = true) => new(text, f.Start, f.End, checkWords);

        /// <remarks>
        /// With <c>checkWords: false</c> the lexicon check (is it a common word, a place, a word like "Will"?) is left to the
        /// caller, who makes it only for a word that does appear again: most never do.
        /// </remarks>
        public struct NamePartEnumerator(string text, int first, int end, bool checkWords)
        {
            private readonly bool _checkWords = checkWords;
            private readonly string _text = text;
            private readonly int _first = first;
            private readonly int _end = end;
            private int _pos = first;

            public (int Start, int End) Current { get; private set; }

            public readonly NamePartEnumerator GetEnumerator() => this;

            public bool MoveNext()
            {
                while (_pos < _end)
                {
                    while (_pos < _end && !char.IsLetter(_text[_pos]))
                    {
                        _pos++;
                    }
                    var s = _pos;
                    while (_pos < _end && (char.IsLetter(_text[_pos]) || _text[_pos] is '\'' or '’' or '-'))
                    {
                        _pos++;
                    }
                    // A single word is the whole value, already searched for.
                    if (_pos - s >= MinLength && (s > _first || _pos < _end) && (_checkWords ? Recognizers.TextScanner.IsDistinctNamePart(_text.AsSpan(s, _pos - s)) : char.IsUpper(_text[s])))
                    {
                        Current = (s, _pos);
                        return true;
                    }
                }
                return false;
            }
        }

        /// <summary>
        /// Tries the names (longest first) only where the scan saw a capitalized word start (<see cref="Recognizers.TextScanner.CapitalStarts"/>):
        /// no second walk over the text.
        /// </summary>
        private static void SearchNames(string text, Span<(int Start, int End, int Source, int Part)> names, List<Finding> results, Span<ulong> covered)
        {
            // Longest first. Up to 16 entries the library sort is an insertion sort (stable), so this one orders ties alike
            // without a delegate call per comparison.
            if (names.Length > 16)
            {
                names.Sort(static (a, b) => (b.End - b.Start).CompareTo(a.End - a.Start));
            }
            else
            {
                for (var k = 1; k < names.Length; k++)
                {
                    var t = names[k];
                    var j = k - 1;
                    while (j >= 0 && names[j].End - names[j].Start < t.End - t.Start)
                    {
                        names[j + 1] = names[j];
                        j--;
                    }
                    names[j + 1] = t;
                }
            }
            var span = text.AsSpan();
            // The letters the names start with, one bit each (a name starting outside A-Z sets bit 63, which every
            // capital outside A-Z then tries): most capitalized words are skipped on one test.
            ulong firsts = 0;
            foreach (var name in names)
            {
                firsts |= FirstBit(text[name.Start]);
            }
            foreach (var at in CollectionsMarshal.AsSpan(Recognizers.TextScanner.CapitalStarts))
            {
                if (at >= text.Length || (firsts & FirstBit(text[at])) == 0 || Coverage.Has(covered, at))
                {
                    continue;
                }
                for (var n = 0; n < names.Length; n++)
                {
                    var (start, end, source, part) = names[n];
                    var length = end - start;
                    if (text[start] == text[at] && at + length <= text.Length && span.Slice(at, length).SequenceEqual(span.Slice(start, length)))
                    {
                        if (part == 1)
                        {
                            // A word of a full name, seen again: now check it names the person alone (2 = yes, 3 = no).
                            names[n].Part = part = Recognizers.TextScanner.IsDistinctNamePart(span.Slice(start, length)) ? 2 : 3;
                        }
                        if (part == 3)
                        {
                            continue;
                        }
                        var f = results[source];
                        if (TryAdd(text, at, at + length, f.Type, f.Score, f.Rule, results, covered))
                        {
                            break;
                        }
                    }
                }
            }
        }

        private static ulong FirstBit(char c) => char.IsAsciiLetterUpper(c) ? 1UL << (c - 'A') : 1UL << 63;

        private static bool SeenBefore(string text, List<Finding> results, List<int> sources, int k, ReadOnlySpan<char> value)
        {
            for (var j = 0; j < k; j++)
            {
                var other = results[sources[j]];
                if (other.End - other.Start == value.Length && text.AsSpan(other.Start, value.Length).SequenceEqual(value))
                {
                    return true;
                }
            }
            return false;
        }

        private static void SearchOne(string text, ReadOnlySpan<char> value, string type, double score, string rule, List<Finding> results, Span<ulong> covered, bool namePart = false)
        {
            var span = text.AsSpan();
            var from = 0;
            while (from <= span.Length - value.Length)
            {
                var i = span[from..].IndexOf(value, StringComparison.Ordinal);
                if (i < 0)
                {
                    return;
                }
                var at = from + i;
                from = TryAdd(text, at, at + value.Length, type, score, rule, results, covered, namePart) ? at + value.Length : at + 1;
            }
        }

        /// <summary>Many values searched in one pass: jump between characters that can start one, then try that character's values.</summary>
        internal sealed class Search
        {
            private readonly IReadOnlyList<KnownValue> _values;
            private readonly Dictionary<char, List<KnownValue>>? _byFirst;
            private readonly SearchValues<char>? _firsts;

            public Search(IReadOnlyList<KnownValue> values)
            {
                _values = values;
                if (values.Count <= SearchEach)
                {
                    return;
                }
                _byFirst = [];
                foreach (var v in values)
                {
                    if (!_byFirst.TryGetValue(v.Value[0], out var list))
                    {
                        _byFirst[v.Value[0]] = list = [];
                    }
                    list.Add(v);
                }
                foreach (var list in _byFirst.Values)
                {
                    // Longest first: "Anna Berg" before "Anna".
                    list.Sort((a, b) => b.Value.Length.CompareTo(a.Value.Length));
                }
                _firsts = SearchValues.Create([.. _byFirst.Keys]);
            }

            public void Run(string text, List<Finding> results, Span<ulong> covered)
            {
                if (_byFirst is null)
                {
                    foreach (var v in _values)
                    {
                        SearchOne(text, v.Value, v.Type, v.Score, v.Rule, results, covered, v.NamePart);
                    }
                    return;
                }
                var span = text.AsSpan();
                var pos = 0;
                while (pos < span.Length)
                {
                    var i = span[pos..].IndexOfAny(_firsts!);
                    if (i < 0)
                    {
                        return;
                    }
                    var at = pos + i;
                    pos = at + 1;
                    if (Coverage.Has(covered, at) || (at > 0 && char.IsLetterOrDigit(text[at - 1])))
                    {
                        continue;
                    }
                    foreach (var v in _byFirst[text[at]])
                    {
                        if (span[at..].StartsWith(v.Value, StringComparison.Ordinal) && TryAdd(text, at, at + v.Value.Length, v.Type, v.Score, v.Rule, results, covered, v.NamePart))
                        {
                            pos = at + v.Value.Length;
                            break;
                        }
                    }
                }
            }
        }

        private static bool TryAdd(string text, int at, int end, string type, double score, string rule, List<Finding> results, Span<ulong> covered, bool namePart = false)
        {
            // Whole words only: "Ann" is not repeated inside "Annual", nor "1234" inside "512345".
            if ((at > 0 && char.IsLetterOrDigit(text[at - 1])) || (end < text.Length && char.IsLetterOrDigit(text[end])) || Coverage.Any(covered, at, end)
                || (namePart && !Recognizers.TextScanner.IsDistinctNamePart(text.AsSpan(at, end - at))))
            {
                return false;
            }
            Coverage.Set(covered, at, end);
            results.Add(new Finding(type, at, end, score, rule.EndsWith("/repeat", StringComparison.Ordinal) ? rule : rule + "/repeat"));
            return true;
        }
    }
}
