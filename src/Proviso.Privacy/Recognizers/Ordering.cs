using System.Runtime.InteropServices;

namespace Proviso.Privacy.Recognizers;

/// <summary>
/// The detector's two sorts without a delegate call per comparison: a line holds a handful of candidates, so the sort is
/// mostly call overhead. Short lists are sorted exactly as <see cref="List{T}.Sort(Comparison{T})"/> sorts them (its
/// introsort handles 16 or fewer elements with the same two/three-element swaps and insertion sort), so ties between
/// equal candidates resolve as before; longer lists go to the library sort.
/// </summary>
internal static class Ordering
{
    private const int SmallSortLimit = 16;

    private static readonly Comparison<Candidate> ByStrength = (a, b) => Compare(in a, in b);

    /// <summary>Higher score first, then the longer span.</summary>
    private static int Compare(in Candidate a, in Candidate b) =>
        b.Score != a.Score ? b.Score.CompareTo(a.Score) : (b.End - b.Start).CompareTo(a.End - a.Start);

    public static void SortByStrength(List<Candidate> candidates)
    {
        var keys = CollectionsMarshal.AsSpan(candidates);
        if (keys.Length > SmallSortLimit)
        {
            candidates.Sort(ByStrength);
            return;
        }
        switch (keys.Length)
        {
            case < 2:
                return;
            case 2:
                SwapIfGreater(keys, 0, 1);
                return;
            case 3:
                SwapIfGreater(keys, 0, 1);
                SwapIfGreater(keys, 0, 2);
                SwapIfGreater(keys, 1, 2);
                return;
        }
        for (var i = 0; i < keys.Length - 1; i++)
        {
            var t = keys[i + 1];
            var j = i;
            while (j >= 0 && Compare(in t, in keys[j]) < 0)
            {
                keys[j + 1] = keys[j];
                j--;
            }
            keys[j + 1] = t;
        }
    }

    private static void SwapIfGreater(Span<Candidate> keys, int i, int j)
    {
        if (Compare(in keys[i], in keys[j]) > 0)
        {
            (keys[i], keys[j]) = (keys[j], keys[i]);
        }
    }

    /// <summary>By position. Findings never overlap, so starts are distinct and any correct sort gives one order.</summary>
    public static void SortByStart(List<Finding> findings)
    {
        var keys = CollectionsMarshal.AsSpan(findings);
        if (keys.Length > SmallSortLimit)
        {
            findings.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            return;
        }
        for (var i = 1; i < keys.Length; i++)
        {
            var t = keys[i];
            var j = i - 1;
            while (j >= 0 && keys[j].Start > t.Start)
            {
                keys[j + 1] = keys[j];
                j--;
            }
            keys[j + 1] = t;
        }
    }
}
