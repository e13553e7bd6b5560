using System.Text.Json;
using System.Text.Json.Serialization;

namespace Proviso.Privacy.Evaluation;

/// <summary>A labeled span in the presidio-research format.</summary>
public sealed record LabeledSpan(
    [property: JsonPropertyName("entity_type")] string EntityType,
    [property: JsonPropertyName("entity_value")] string EntityValue,
    [property: JsonPropertyName("start_position")] int Start,
    [property: JsonPropertyName("end_position")] int End);

/// <summary>A labeled text in the presidio-research format.</summary>
public sealed record LabeledText(
    [property: JsonPropertyName("full_text")] string FullText,
    [property: JsonPropertyName("spans")] IReadOnlyList<LabeledSpan> Spans);

/// <summary>Precision, recall, F1 and F2 of one entity type (or of all, as "ALL").</summary>
public sealed record TypeScore(string Type, int TruePositives, int FalsePositives, int FalseNegatives)
{
    /// <summary>Share of reported spans that are right.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Share of labeled spans that were found.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>Harmonic mean of precision and recall.</summary>
    public double F1 => Fbeta(1);

    /// <summary>F-score weighting recall twice as much as precision (missing PII costs more than over-masking).</summary>
    public double F2 => Fbeta(2);

    private double Fbeta(double beta)
    {
        var p = Precision;
        var r = Recall;
        return p + r == 0 ? 0 : (1 + (beta * beta)) * p * r / ((beta * beta * p) + r);
    }
}

/// <summary>
/// Span-level evaluation: a finding matches a label of the same type when their character
/// intersection-over-union is at least 0.5; each label matches at most one finding.
/// </summary>
public static class SpanEvaluator
{
    /// <summary>
    /// Joins every <paramref name="perDocument"/> labeled texts into one (separated by a blank line), labels shifted: how a
    /// detector does on long documents, where one record's values are searched for in the others.
    /// </summary>
    public static IReadOnlyList<LabeledText> Documents(IReadOnlyList<LabeledText> data, int perDocument)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(perDocument, 1);
        var documents = new List<LabeledText>();
        for (var i = 0; i < data.Count; i += perDocument)
        {
            var text = new System.Text.StringBuilder();
            var spans = new List<LabeledSpan>();
            foreach (var record in data.Skip(i).Take(perDocument))
            {
                if (text.Length > 0)
                {
                    text.Append("\n\n");
                }
                var offset = text.Length;
                text.Append(record.FullText);
                spans.AddRange(record.Spans.Select(sp => sp with { Start = sp.Start + offset, End = sp.End + offset }));
            }
            documents.Add(new LabeledText(text.ToString(), spans));
        }
        return documents;
    }

    /// <summary>Reads a presidio-research style JSON array of labeled texts.</summary>
    public static IReadOnlyList<LabeledText> Load(string path) =>
        JsonSerializer.Deserialize<List<LabeledText>>(File.ReadAllText(path)) ?? [];

    /// <summary>Scores <paramref name="detector"/> on <paramref name="data"/>. <paramref name="typeMap"/> renames label types (e.g. ADDRESS → STREET_ADDRESS); labels of types not in <paramref name="types"/> are ignored, as are findings of other types.</summary>
    public static IReadOnlyList<TypeScore> Evaluate(PiiDetector detector, IEnumerable<LabeledText> data, IReadOnlySet<string> types,
        IReadOnlyDictionary<string, string>? typeMap = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(types);
        var counts = types.ToDictionary(t => t, _ => (Tp: 0, Fp: 0, Fn: 0));
        foreach (var record in data)
        {
            var (labels, findings) = Prepare(detector, record, types, typeMap);
            var used = new bool[labels.Count];
            foreach (var f in findings)
            {
                var match = -1;
                for (var k = 0; k < labels.Count; k++)
                {
                    if (!used[k] && labels[k].EntityType == f.Type && Iou(f.Start, f.End, labels[k].Start, labels[k].End) >= 0.5)
                    {
                        match = k;
                        break;
                    }
                }
                var c = counts[f.Type];
                if (match >= 0)
                {
                    used[match] = true;
                    counts[f.Type] = (c.Tp + 1, c.Fp, c.Fn);
                }
                else
                {
                    counts[f.Type] = (c.Tp, c.Fp + 1, c.Fn);
                }
            }
            for (var k = 0; k < labels.Count; k++)
            {
                if (!used[k])
                {
                    var c = counts[labels[k].EntityType];
                    counts[labels[k].EntityType] = (c.Tp, c.Fp, c.Fn + 1);
                }
            }
        }
        return Scores(counts);
    }

    /// <summary>
    /// Token-level evaluation, as presidio-research scores: every word token (a run of letters or
    /// digits) gets the type of the label it overlaps and the type of the finding it overlaps; a token
    /// counts as a true positive of T when both are T, a false positive when only the finding is, a
    /// false negative when only the label is. It forgives span boundaries and one entity labeled in
    /// pieces ("23" "8 wressle road" "suite 771") versus found whole, which span matching punishes.
    /// </summary>
    public static IReadOnlyList<TypeScore> EvaluateTokens(PiiDetector detector, IEnumerable<LabeledText> data, IReadOnlySet<string> types,
        IReadOnlyDictionary<string, string>? typeMap = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(types);
        var counts = types.ToDictionary(t => t, _ => (Tp: 0, Fp: 0, Fn: 0));
        foreach (var record in data)
        {
            var (labels, findings) = Prepare(detector, record, types, typeMap);
            var text = record.FullText;
            var i = 0;
            while (i < text.Length)
            {
                if (!char.IsLetterOrDigit(text[i]))
                {
                    i++;
                    continue;
                }
                var start = i;
                while (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    i++;
                }
                var gold = labels.FirstOrDefault(l => l.Start < i && start < l.End)?.EntityType;
                var predicted = findings.FirstOrDefault(f => f.Start < i && start < f.End) is { Type: not null } f ? f.Type : null;
                if (gold is not null && gold == predicted)
                {
                    var c = counts[gold];
                    counts[gold] = (c.Tp + 1, c.Fp, c.Fn);
                    continue;
                }
                if (predicted is not null)
                {
                    var c = counts[predicted];
                    counts[predicted] = (c.Tp, c.Fp + 1, c.Fn);
                }
                if (gold is not null)
                {
                    var c = counts[gold];
                    counts[gold] = (c.Tp, c.Fp, c.Fn + 1);
                }
            }
        }
        return Scores(counts);
    }

    private static (List<LabeledSpan> Labels, List<Finding> Findings) Prepare(PiiDetector detector, LabeledText record, IReadOnlySet<string> types,
        IReadOnlyDictionary<string, string>? typeMap) =>
        (record.Spans.Select(s => s with { EntityType = typeMap?.GetValueOrDefault(s.EntityType, s.EntityType) ?? s.EntityType })
            .Where(s => types.Contains(s.EntityType)).ToList(),
         detector.Detect(record.FullText).Where(f => types.Contains(f.Type)).ToList());

    private static List<TypeScore> Scores(Dictionary<string, (int Tp, int Fp, int Fn)> counts)
    {
        var scores = counts.Where(c => c.Value != (0, 0, 0)).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new TypeScore(c.Key, c.Value.Tp, c.Value.Fp, c.Value.Fn)).ToList();
        scores.Add(new TypeScore("ALL", scores.Sum(s => s.TruePositives), scores.Sum(s => s.FalsePositives), scores.Sum(s => s.FalseNegatives)));
        return scores;
    }

    private static double Iou(int a0, int a1, int b0, int b1)
    {
        var inter = Math.Max(0, Math.Min(a1, b1) - Math.Max(a0, b0));
        var union = Math.Max(a1, b1) - Math.Min(a0, b0);
        return union == 0 ? 0 : (double)inter / union;
    }
}
