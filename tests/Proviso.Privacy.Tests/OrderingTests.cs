using Proviso.Privacy.Recognizers;

namespace Proviso.Privacy.Tests;

public class OrderingTests
{
    private static readonly Comparison<Candidate> LibraryOrder =
        (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : (b.End - b.Start).CompareTo(a.End - a.Start);

    [Fact]
    public void Candidates_are_ordered_exactly_as_the_library_sort_orders_them_ties_included()
    {
        // Which of two equally strong candidates wins decides a finding's type, so the hand-written sort must break ties
        // the way List.Sort did; few distinct scores and lengths make ties common.
        var random = new Random(20261124);
        for (var round = 0; round < 5000; round++)
        {
            var n = random.Next(0, 40);
            var items = new List<Candidate>(n);
            for (var k = 0; k < n; k++)
            {
                var start = random.Next(0, 20);
                items.Add(new Candidate($"T{k}", start, start + random.Next(1, 4), random.Next(0, 3) * 0.25, $"r{k}"));
            }
            var expected = new List<Candidate>(items);
            expected.Sort(LibraryOrder);
            Ordering.SortByStrength(items);
            Assert.Equal(expected.Select(c => c.Type), items.Select(c => c.Type));
        }
    }

    [Fact]
    public void Findings_are_ordered_by_start()
    {
        var random = new Random(7);
        for (var round = 0; round < 2000; round++)
        {
            var starts = Enumerable.Range(0, random.Next(0, 40)).Select(k => k * 3).OrderBy(_ => random.Next()).ToList();
            var findings = starts.Select(s => new Finding("T", s, s + 2, 1, "r")).ToList();
            Ordering.SortByStart(findings);
            Assert.Equal(starts.Order(), findings.Select(f => f.Start));
        }
    }
}
