using System.Diagnostics;
using Proviso.Privacy;
using Proviso.Privacy.Operators;

namespace Proviso.Bench;

/// <summary>
/// Restoring an AI answer as the gateway does: five long strings naming pseudonyms of a call's batch (40 of them),
/// through a fresh anonymizer per call over the batch.
/// </summary>
internal static class RestoreSpeed
{
    public static void Run()
    {
        var detector = new PiiDetector();
        var vault = new InMemoryVault();
        var anonymizer = new Anonymizer(AnonymizerKeys.Random(), vault);
        var people = string.Join(" ", Enumerable.Range(0, 40).Select(i => $"Write to person{i}@example.com about it."));
        anonymizer.Anonymize(people, detector.Detect(people), new OperatorConfig { Kind = OperatorKind.Token }, scope: "s");
        var strings = Enumerable.Range(0, 5)
            .Select(k => string.Concat(Enumerable.Range(0, 12).Select(i => $"Item {i}: I emailed <EMAIL_ADDRESS_{((i * 3) + k) % 40 + 1}> as asked. ")))
            .ToArray();
        var batch = new PseudonymBatch(vault, "s");
        var times = new List<double>();
        for (var round = 0; round < 7; round++)
        {
            const int N = 20_000;
            var sw = Stopwatch.StartNew();
            long length = 0;
            for (var i = 0; i < N; i++)
            {
                var call = anonymizer.With(batch);
                foreach (var s in strings)
                {
                    length += call.Deanonymize(s, "s").Length;
                }
            }
            times.Add(sw.Elapsed.TotalMicroseconds / N);
        }
        var steady = times.Skip(2).Order().ToList();
        Console.WriteLine($"restore-speed: {strings.Sum(s => s.Length):N0} chars in 5 strings, 40 pseudonyms: median {steady[steady.Count / 2]:F2} us per answer (runs {string.Join(", ", times.Select(t => t.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))})");
    }
}
