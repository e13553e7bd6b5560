using Proviso.Privacy.Evaluation;

namespace Proviso.Privacy.Tests;

/// <summary>Span-level quality (IoU ≥ 0.5) on the held-out generated set; figures per type are in docs/benchmarks.md.</summary>
public class QualityTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", "pii", name);

    [Fact]
    public void HeldOutSet_MeetsTheAim_RecallAtLeast90_PrecisionAtLeast95()
    {
        var data = SpanEvaluator.Load(Data("proviso-labeled-test.json"));
        var types = data.SelectMany(d => d.Spans).Select(s => s.EntityType).ToHashSet();
        var scores = SpanEvaluator.Evaluate(new PiiDetector(), data, types);
        var all = scores.Single(s => s.Type == "ALL");
        Assert.True(all.Recall >= 0.90, $"recall {all.Recall:F3}");
        Assert.True(all.Precision >= 0.95, $"precision {all.Precision:F3}");
        // Names are the hardest type and the one users judge a PII engine by: guard today's level with a margin.
        var person = scores.Single(s => s.Type == Entities.Person);
        Assert.True(person.Precision >= 0.97 && person.Recall >= 0.97, $"PERSON precision {person.Precision:F3} recall {person.Recall:F3}");
        // Every checksum-validated identifier type is found nearly always.
        foreach (var t in new[] { Entities.CreditCard, Entities.Iban, Entities.Email, Entities.UsSsn, Entities.InAadhaar, Entities.UkNhs })
        {
            Assert.True(scores.Single(s => s.Type == t).Recall >= 0.98, $"{t} recall");
        }
    }

    [Fact]
    public void HeldOutSet_AsLongDocuments_KeepsTheAim()
    {
        // Fifty records per text: a value found in one record is looked for in the other 49, and records sit next to each
        // other, so a finding repeated where it does not belong, or context read across a record's end, shows here as lost
        // precision (on the dev set this once cost 0.999 -> 0.990).
        var data = SpanEvaluator.Documents(SpanEvaluator.Load(Data("proviso-labeled-test.json")), 50);
        var types = data.SelectMany(d => d.Spans).Select(s => s.EntityType).ToHashSet();
        var scores = SpanEvaluator.Evaluate(new PiiDetector(), data, types);
        var all = scores.Single(s => s.Type == "ALL");
        Assert.True(all.Recall >= 0.90 && all.Precision >= 0.95, $"precision {all.Precision:F3} recall {all.Recall:F3}");
        var person = scores.Single(s => s.Type == Entities.Person);
        Assert.True(person.Precision >= 0.97 && person.Recall >= 0.97, $"PERSON precision {person.Precision:F3} recall {person.Recall:F3}");
    }

    [Fact]
    public void Documents_JoinRecords_AndShiftTheirLabels()
    {
        var records = new[]
        {
            new LabeledText("Mail anna@example.com.", [new LabeledSpan(Entities.Email, "anna@example.com", 5, 21)]),
            new LabeledText("Call 415-555-2671.", [new LabeledSpan(Entities.Phone, "415-555-2671", 5, 17)]),
        };
        var doc = Assert.Single(SpanEvaluator.Documents(records, 2));
        Assert.Equal("Mail anna@example.com.\n\nCall 415-555-2671.", doc.FullText);
        Assert.All(doc.Spans, sp => Assert.Equal(sp.EntityValue, doc.FullText[sp.Start..sp.End]));
        Assert.Equal(2, SpanEvaluator.Documents(records, 1).Count);
    }

    [Fact]
    public void TokenLevelEvaluation_ForgivesAnEntityLabeledInPieces()
    {
        // One address labeled as three spans, found as one: span matching fails two of them, token matching none.
        const string Text = "Ship to 23 8 Wressle Road Suite 771 please.";
        var labels = new[] { ("23", 8), ("8 Wressle Road", 11), ("Suite 771", 26) }
            .Select(l => new LabeledSpan(Entities.StreetAddress, l.Item1, l.Item2, l.Item2 + l.Item1.Length)).ToList();
        Assert.All(labels, l => Assert.Equal(l.EntityValue, Text[l.Start..l.End]));
        var data = new[] { new LabeledText(Text, labels) };
        var types = new HashSet<string> { Entities.StreetAddress };
        var detector = new PiiDetector();
        Assert.Contains(detector.Detect(Text), f => f.Type == Entities.StreetAddress && f.TextIn(Text) == "23 8 Wressle Road Suite 771");

        var spans = SpanEvaluator.Evaluate(detector, data, types).Single(s => s.Type == Entities.StreetAddress);
        Assert.True(spans.FalseNegatives >= 2, "span matching should miss the pieces");
        var tokens = SpanEvaluator.EvaluateTokens(detector, data, types).Single(s => s.Type == Entities.StreetAddress);
        Assert.Equal((6, 0, 0), (tokens.TruePositives, tokens.FalsePositives, tokens.FalseNegatives));
    }

    [Fact]
    public void Evaluator_CountsIouMatchesTypeByType()
    {
        var text = "Mail anna@example.com or call 415-555-2671.";
        var data = new[]
        {
            new LabeledText(text, [new LabeledSpan(Entities.Email, "anna@example.com", 5, 21), new LabeledSpan(Entities.Person, "x", 0, 4)]),
        };
        var scores = SpanEvaluator.Evaluate(new PiiDetector(), data, new HashSet<string> { Entities.Email, Entities.Person, Entities.Phone });
        Assert.Equal((1, 0, 0), Counts(scores, Entities.Email));
        Assert.Equal((0, 0, 1), Counts(scores, Entities.Person));
        Assert.Equal((0, 1, 0), Counts(scores, Entities.Phone));

        static (int, int, int) Counts(IReadOnlyList<TypeScore> s, string t) => s.Single(x => x.Type == t) is var x ? (x.TruePositives, x.FalsePositives, x.FalseNegatives) : default;
    }
}
