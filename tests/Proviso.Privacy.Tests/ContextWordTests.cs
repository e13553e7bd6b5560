using Proviso.Privacy.Recognizers;

namespace Proviso.Privacy.Tests;

public class ContextWordTests
{
    [Fact]
    public void TheWordStartWalk_FindsExactlyWhatTheMultiStringSearchFinds()
    {
        // Context lists are matched by walking word starts; the earlier search for the words anywhere is the reference. Windows are
        // built from the lists' own words (whole, cut short, glued to letters, in other cases) and filler, so hits and near misses
        // both occur.
        var random = new Random(1124);
        var lists = ContextWords.Positive.Values.Concat(ContextWords.Negative.Values).ToList();
        string[] filler = ["the", "is", "a", "x", "this", "items", "ship", "12", "-", "/", ":", ".", "é", "Ö", "(", "'", "\n", "panel", "birthday"];
        var hits = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var list = lists[random.Next(lists.Count)];
            var pieces = new List<string>();
            for (var k = random.Next(1, 9); k > 0; k--)
            {
                var piece = random.Next(3) == 0 ? list.Words[random.Next(list.Count)] : filler[random.Next(filler.Length)];
                piece = random.Next(4) switch
                {
                    0 => piece.ToUpperInvariant(),
                    1 when piece.Length > 2 => piece[..(piece.Length - 1)],
                    _ => piece,
                };
                pieces.Add(piece);
                pieces.Add(random.Next(5) == 0 ? "" : random.Next(2) == 0 ? " " : "s ");
            }
            var window = string.Concat(pieces);
            var expected = ContextWords.ContainsAny(window, list.Words, list.Search);
            Assert.True(expected == list.OccursIn(window), $"'{window}' with [{string.Join(", ", list.Words)}]: expected {expected}");
            hits += expected ? 1 : 0;
        }
        Assert.InRange(hits, 2_000, 18_000);
    }
}
