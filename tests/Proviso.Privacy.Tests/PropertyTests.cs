using System.Buffers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Proviso.Privacy.Operators;

namespace Proviso.Privacy.Tests;

/// <summary>Invariants over generated documents mixing PII of every kind with filler text.</summary>
public class PropertyTests
{
    private static readonly PiiDetector Detector = new();

    private static readonly string[] Values =
    [
        "anna.berg@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "536-22-8726",
        "Margaret Thompson", "203.0.113.42", "AB123456C", "12345678Z", "RSSMRA85T10A562S", "2341 2341 2346", "ABCPE1234F",
        "S1234567D", "3C:22:FB:7A:10:9E", "https://portal.example.com/u/42", "AKIAIOSFODNN7EXAMPLE", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        "742 Evergreen Terrace", "943 476 5919", "X1234567L",
    ];

    private static readonly string[] Filler = ["please review", "the contract says", "and then", "see notes:", "regarding", "ok", "thanks,", "for the account of"];

    private static Gen<string> Documents() =>
        from n in Gen.Choose(1, 12)
        from parts in Gen.ListOf(Gen.OneOf(Gen.Elements(Values), Gen.Elements(Filler)), n)
        select string.Join(" ", parts) + ".";

    [Property(MaxTest = 150)]
    public Property TokensAndSurrogates_RoundTripExactly()
    {
        return Prop.ForAll(Documents().ToArbitrary(), Gen.Elements(OperatorKind.Token, OperatorKind.Surrogate).ToArbitrary(), (doc, kind) =>
        {
            var anonymizer = new Anonymizer(AnonymizerKeys.Random(), new InMemoryVault());
            var masked = anonymizer.Anonymize(doc, Detector.Detect(doc), new OperatorConfig { Kind = kind }, scope: "p");
            return (anonymizer.Deanonymize(masked.Text, "p") == doc).Label($"{kind}: {doc} -> {masked.Text}");
        });
    }

    [Property(MaxTest = 150)]
    public Property MaskedOutput_NeverContainsADetectedValue()
    {
        return Prop.ForAll(Documents().ToArbitrary(), Gen.Elements(OperatorKind.Replace, OperatorKind.Redact, OperatorKind.Hash, OperatorKind.Surrogate, OperatorKind.Token).ToArbitrary(), (doc, kind) =>
        {
            var findings = Detector.Detect(doc);
            var masked = new Anonymizer(AnonymizerKeys.Random(), new InMemoryVault()).Anonymize(doc, findings, new OperatorConfig { Kind = kind }).Text;
            var leaked = findings.Select(f => f.TextIn(doc)).Where(v => v.Length >= 6 && masked.Contains(v, StringComparison.Ordinal)).ToList();
            return (leaked.Count == 0).Label($"{kind} leaked {string.Join(", ", leaked)} in {masked}");
        });
    }

    // Values only a cue reveals, with their cue: found after it, they must be masked wherever else they appear.
    private static readonly (string Cue, string Value)[] Cued =
    [
        ("password: ", "Zq8rT4vLm2pX9wKd"), ("MRN ", "00483921"), ("my kid ", "Jakobine"), ("Passport number ", "C03005988"),
        ("Driver license ", "D1234567"), ("Bank account ", "00123456789"),
    ];

    private static Gen<(string Value, string[] Parts)> CuedDocuments() =>
        from cued in Gen.Elements(Cued)
        from b in Gen.Choose(0, 3)
        from before in Gen.ListOf(Gen.Elements(Filler), b)
        from a in Gen.Choose(1, 8)
        from after in Gen.ListOf(Gen.OneOf(Gen.Elements(Filler), Gen.Constant(cued.Value)), a)
        select (cued.Value, (string[])[.. before, cued.Cue + cued.Value + ".", .. after, cued.Value]);

    [Property(MaxTest = 150)]
    public Property AValueACueRevealed_IsMaskedWhereverElseItAppears_InTextAndAcrossJsonFields()
    {
        return Prop.ForAll(CuedDocuments().ToArbitrary(), doc =>
        {
            var text = string.Join(" ", doc.Parts);
            var masked = new Anonymizer(AnonymizerKeys.Random()).Anonymize(text, Detector.Detect(text), new OperatorConfig()).Text;
            // The same parts as the strings of a JSON array: the cue is in one string, the repeats in others.
            var json = JsonSerializer.Serialize(new { notes = doc.Parts });
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            new Structured.MaskingPipeline(Detector, new Anonymizer(AnonymizerKeys.Random()), new OperatorConfig()).MaskJson(System.Text.Encoding.UTF8.GetBytes(json), buffer);
            var maskedJson = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            bool Leaks(string output) => System.Text.RegularExpressions.Regex.IsMatch(output, $@"(?<![\p{{L}}\p{{N}}]){System.Text.RegularExpressions.Regex.Escape(doc.Value)}(?![\p{{L}}\p{{N}}])");
            return (!Leaks(masked) && !Leaks(maskedJson)).Label($"{doc.Value}: text -> {masked} | json -> {maskedJson}");
        });
    }

    [Property(MaxTest = 150)]
    public Property Surrogates_KeepTheirTypeAndCheckDigits()
    {
        return Prop.ForAll(Gen.Elements(Values).ToArbitrary(), value =>
        {
            var text = $"value: {value} end";
            var original = Detector.Detect(text).SingleOrDefault(f => f.TextIn(text) == value);
            if (original.Type is null)
            {
                return true.Label("not detected alone");
            }
            var fake = new Anonymizer(AnonymizerKeys.Random(), new InMemoryVault()).Apply(new OperatorConfig { Kind = OperatorKind.Surrogate }, original.Type, value);
            var again = Detector.Detect($"value: {fake} end");
            return (fake != value && again.Any(f => f.Type == original.Type)).Label($"{original.Type}: {value} -> {fake}");
        });
    }

    private static Gen<string> JsonDocuments() =>
        from n in Gen.Choose(0, 10)
        from values in Gen.ListOf(Gen.OneOf(
                Gen.Elements(Values).Select(v => JsonSerializer.Serialize(v)),
                Gen.Choose(-100000, 100000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Gen.Elements("1.50", "-0.0", "1e10", "true", "false", "null", "[]", "{}", "12345678901234567890")),
            n)
        select "{" + string.Concat(values.Select((v, i) => $"\"k{i}\":{v},")) + "\"nested\":[" + string.Join(",", values) + "]}";

    [Property(MaxTest = 150)]
    public Property JsonOutput_ParsesAndKeepsEveryNonStringValue()
    {
        return Prop.ForAll(JsonDocuments().ToArbitrary(), json =>
        {
            var pipeline = new Structured.MaskingPipeline(Detector, new Anonymizer(AnonymizerKeys.Random(), new InMemoryVault()), new OperatorConfig());
            var buffer = new ArrayBufferWriter<byte>();
            pipeline.MaskJson(Encoding.UTF8.GetBytes(json), buffer);
            using var input = JsonDocument.Parse(json);
            using var output = JsonDocument.Parse(buffer.WrittenMemory);
            return SameShape(input.RootElement, output.RootElement).Label(json);
        });
    }

    private static bool SameShape(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }
        return a.ValueKind switch
        {
            JsonValueKind.Object => a.EnumerateObject().Select(p => p.Name).SequenceEqual(b.EnumerateObject().Select(p => p.Name))
                && a.EnumerateObject().Zip(b.EnumerateObject()).All(p => SameShape(p.First.Value, p.Second.Value)),
            JsonValueKind.Array => a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => SameShape(p.First, p.Second)),
            JsonValueKind.String => true,
            _ => a.GetRawText() == b.GetRawText(),
        };
    }
}
