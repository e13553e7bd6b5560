using System.Buffers;

namespace Proviso.Privacy;

/// <summary>A value detected in one text, to be found again in others (a request's other messages, a record's other fields).</summary>
/// <param name="Value">The detected text, exactly as it appeared.</param>
/// <param name="Type">Its entity type.</param>
/// <param name="Score">The score it was detected with; its repeats get the same.</param>
/// <param name="Rule">The rule that detected it; repeats report <c>Rule/repeat</c>.</param>
public readonly record struct KnownValue(string Value, string Type, double Score, string Rule);

public sealed partial class PiiDetector
{
    /// <summary>
    /// The values behind <paramref name="findings"/> in <paramref name="text"/>, once each — to look for in other texts
    /// with <see cref="AddRepeats"/>. Values shorter than three characters are left out (too many accidental repeats).
    /// </summary>
    public static IReadOnlyList<KnownValue> ValuesOf(string text, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var values = new List<KnownValue>();
        foreach (var f in findings)
        {
            if (f.End - f.Start >= Repeats.MinLength && f.End <= text.Length)
            {
                var value = text[f.Start..f.End];
                if (seen.Add(value))
                {
                    values.Add(new KnownValue(value, f.Type, f.Score, f.Rule));
                }
            }
        }
        return values;
    }

    /// <summary>
    /// Adds to <paramref name="findings"/> (detected in <paramref name="text"/>) every other occurrence in the text of a value
    /// found elsewhere, as a whole word, where no finding is yet; keeps the list ordered by position. This is how a name that a
    /// cue revealed in one message ("my son Mali") is also masked in the next one, where nothing says it is a name.
    /// </summary>
    /// <returns>How many findings were added.</returns>
    public static int AddRepeats(string text, List<Finding> findings, IReadOnlyList<KnownValue> known)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(known);
        if (known.Count == 0 || text.Length == 0)
        {
            return 0;
        }
        var words = (text.Length + 63) >> 6;
        var covered = new ulong[words];
        foreach (var f in findings)
        {
            Coverage.Set(covered, f.Start, Math.Min(f.End, text.Length));
        }
        var before = findings.Count;
        Repeats.AddKnown(text, findings, known, covered);
        if (findings.Count > before)
        {
            findings.Sort((a, b) => a.Start.CompareTo(b.Start));
        }
        return findings.Count - before;
    }

    /// <summary>Finds detected values again, as whole words, where nothing covers them yet.</summary>
    internal static class Repeats
    {
        public const int MinLength = 3;

        /// <summary>Up to this many values, each is searched for on its own (vectorized); more share one pass.</summary>
        private const int SearchEach = 4;

        /// <summary>Repeats, within <paramref name="text"/>, of the values of the findings at <paramref name="sources"/>.</summary>
        public static void Add(string text, List<Finding> results, List<int> sources, Span<ulong> covered)
        {
            if (sources.Count <= SearchEach)
            {
                // The usual case (a line, a cell, a message with a name or two): no allocation.
                for (var k = 0; k < sources.Count; k++)
                {
                    var f = results[sources[k]];
                    var value = text.AsSpan(f.Start, f.End - f.Start);
                    if (value.Length >= MinLength && !SeenBefore(text, results, sources, k, value))
                    {
                        SearchOne(text, value, f.Type, f.Score, f.Rule, results, covered);
                    }
                }
                return;
            }
            var values = new List<KnownValue>(sources.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var index in sources)
            {
                var f = results[index];
                if (f.End - f.Start >= MinLength)
                {
                    var value = text[f.Start..f.End];
                    if (seen.Add(value))
                    {
                        values.Add(new KnownValue(value, f.Type, f.Score, f.Rule));
                    }
                }
            }
            AddKnown(text, results, values, covered);
        }

        public static void AddKnown(string text, List<Finding> results, IReadOnlyList<KnownValue> values, Span<ulong> covered)
        {
            if (values.Count <= SearchEach)
            {
                foreach (var v in values)
                {
                    SearchOne(text, v.Value, v.Type, v.Score, v.Rule, results, covered);
                }
                return;
            }
            SearchMany(text, values, results, covered);
        }

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

        private static void SearchOne(string text, ReadOnlySpan<char> value, string type, double score, string rule, List<Finding> results, Span<ulong> covered)
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
                from = TryAdd(text, at, at + value.Length, type, score, rule, results, covered) ? at + value.Length : at + 1;
            }
        }

        /// <summary>One pass for many values: jump between characters that can start one, then try that character's values.</summary>
        private static void SearchMany(string text, IReadOnlyList<KnownValue> values, List<Finding> results, Span<ulong> covered)
        {
            var byFirst = new Dictionary<char, List<KnownValue>>();
            foreach (var v in values)
            {
                if (!byFirst.TryGetValue(v.Value[0], out var list))
                {
                    byFirst[v.Value[0]] = list = [];
                }
                list.Add(v);
            }
            foreach (var list in byFirst.Values)
            {
                // Longest first: "Anna Berg" before "Anna".
                list.Sort((a, b) => b.Value.Length.CompareTo(a.Value.Length));
            }
            var firsts = SearchValues.Create([.. byFirst.Keys]);
            var span = text.AsSpan();
            var pos = 0;
            while (pos < span.Length)
            {
                var i = span[pos..].IndexOfAny(firsts);
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
                foreach (var v in byFirst[text[at]])
                {
                    if (span[at..].StartsWith(v.Value, StringComparison.Ordinal) && TryAdd(text, at, at + v.Value.Length, v.Type, v.Score, v.Rule, results, covered))
                    {
                        pos = at + v.Value.Length;
                        break;
                    }
                }
            }
        }

        private static bool TryAdd(string text, int at, int end, string type, double score, string rule, List<Finding> results, Span<ulong> covered)
        {
            // Whole words only: "Ann" is not repeated inside "Annual", nor "1234" inside "512345".
            if ((at > 0 && char.IsLetterOrDigit(text[at - 1])) || (end < text.Length && char.IsLetterOrDigit(text[end])) || Coverage.Any(covered, at, end))
            {
                return false;
            }
            Coverage.Set(covered, at, end);
            results.Add(new Finding(type, at, end, score, rule.EndsWith("/repeat", StringComparison.Ordinal) ? rule : rule + "/repeat"));
            return true;
        }
    }
}
