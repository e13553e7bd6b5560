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
        // Every checksum-validated identifier type is found nearly always.
        foreach (var t in new[] { Entities.CreditCard, Entities.Iban, Entities.Email, Entities.UsSsn, Entities.InAadhaar, Entities.UkNhs })
        {
            Assert.True(scores.Single(s => s.Type == t).Recall >= 0.98, $"{t} recall");
        }
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
