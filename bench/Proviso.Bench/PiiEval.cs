using System.Globalization;
using Proviso.Privacy;
using Proviso.Privacy.Evaluation;

namespace Proviso.Bench;

/// <summary>Prints per-type precision/recall/F1/F2 on labeled files (presidio-research format).</summary>
internal static class PiiEval
{
    /// <summary>Presidio's label names mapped onto Proviso's.</summary>
    public static readonly IReadOnlyDictionary<string, string> PresidioMap = new Dictionary<string, string> { ["ADDRESS"] = Entities.StreetAddress };

    public static void Run(string[] files)
    {
        var detector = new PiiDetector();
        foreach (var file in files)
        {
            var data = SpanEvaluator.Load(file);
            if (int.TryParse(Environment.GetEnvironmentVariable("PII_DOCUMENTS"), out var perDocument) && perDocument > 1)
            {
                // PII_DOCUMENTS=N: N records per text, as in a long document (values found in one record are looked for in the rest).
                data = SpanEvaluator.Documents(data, perDocument);
            }
            if (Environment.GetEnvironmentVariable("PII_ERRORS") is { } errorType)
            {
                PiiErrors.Print(detector, data, errorType);
                continue;
            }
            var labelTypes = data.SelectMany(d => d.Spans).Select(s => PresidioMap.GetValueOrDefault(s.EntityType, s.EntityType)).ToHashSet();
            var types = labelTypes.Where(Entities.All.Contains).ToHashSet();
            var skipped = labelTypes.Except(types).Order().ToList();
            Console.WriteLine($"{Path.GetFileName(file)}: {data.Count} texts; evaluated types: {types.Count}{(skipped.Count > 0 ? $"; label types Proviso does not detect, left out: {string.Join(", ", skipped)}" : "")}");
            Console.WriteLine("| type | TP | FP | FN | precision | recall | F1 | F2 |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var s in SpanEvaluator.Evaluate(detector, data, types, PresidioMap))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {s.Type} | {s.TruePositives} | {s.FalsePositives} | {s.FalseNegatives} | {s.Precision:F3} | {s.Recall:F3} | {s.F1:F3} | {s.F2:F3} |"));
            }
            Console.WriteLine("token level (presidio-research style; TP/FP/FN count word tokens):");
            Console.WriteLine("| type | TP | FP | FN | precision | recall | F1 | F2 |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var s in SpanEvaluator.EvaluateTokens(detector, data, types, PresidioMap))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {s.Type} | {s.TruePositives} | {s.FalsePositives} | {s.FalseNegatives} | {s.Precision:F3} | {s.Recall:F3} | {s.F1:F3} | {s.F2:F3} |"));
            }
        }
    }
}

internal static class PiiErrors
{
    /// <summary>Lists false positives and negatives of one type (PII_ERRORS=TYPE), to study failures.</summary>
    public static void Print(PiiDetector detector, IEnumerable<LabeledText> data, string type, int max = 40)
    {
        var shown = 0;
        foreach (var d in data)
        {
            var labels = d.Spans.Where(s => PiiEval.PresidioMap.GetValueOrDefault(s.EntityType, s.EntityType) == type).ToList();
            var found = detector.Detect(d.FullText).Where(f => f.Type == type).ToList();
            // The evaluator's own rule: same type and character IoU >= 0.5.
            static bool Match(int a0, int a1, int b0, int b1) => Math.Max(0, Math.Min(a1, b1) - Math.Max(a0, b0)) * 2 >= Math.Max(a1, b1) - Math.Min(a0, b0);
            foreach (var f in found.Where(f => !labels.Any(l => Match(l.Start, l.End, f.Start, f.End))))
            {
                Console.WriteLine($"FP [{f.TextIn(d.FullText)}] {f.Score} {f.Rule} :: {d.FullText}");
                shown++;
            }
            foreach (var l in labels.Where(l => !found.Any(f => Match(l.Start, l.End, f.Start, f.End))))
            {
                Console.WriteLine($"FN [{l.EntityValue}] :: {d.FullText}");
                shown++;
            }
            if (shown > max)
            {
                return;
            }
        }
    }
}
