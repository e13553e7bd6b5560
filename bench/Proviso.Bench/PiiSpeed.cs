using System.Diagnostics;
using Proviso.Privacy;
using Proviso.Privacy.Operators;

namespace Proviso.Bench;

/// <summary>In-process detection + replacement throughput on one thread (no process start, no I/O).</summary>
internal static class PiiSpeed
{
    public static void Run(int megabytes)
    {
        var text = PiiCorpus.Text(megabytes * 1024 * 1024);
        var chunks = text.Split('\n');
        var only = Environment.GetEnvironmentVariable("PII_ENTITIES");
        var detector = new PiiDetector(only is null ? null : new DetectorOptions { Entities = only.Split(',').ToHashSet() });
        var anonymizer = new Anonymizer(AnonymizerKeys.Random());
        var op = new OperatorConfig();
        // Warm up: JIT, lexicons, phone metadata.
        foreach (var c in chunks.Take(2000))
        {
            anonymizer.Anonymize(c, detector.Detect(c), op);
        }
        var times = new List<double>();
        long findings = 0;
        for (var run = 0; run < 5; run++)
        {
            findings = 0;
            var sw = Stopwatch.StartNew();
            foreach (var c in chunks)
            {
                var f = detector.Detect(c);
                findings += f.Count;
                anonymizer.Anonymize(c, f, op);
            }
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        var mb = text.Length / 1024.0 / 1024.0;
        Console.WriteLine($"pii-speed: {mb:F1} MB prose, {findings:N0} findings ({text.Length / Math.Max(1, findings)} chars per finding); median {mb / times[2]:F1} MB/s (runs {string.Join(", ", times.Select(t => (mb / t).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))})");
    }
}
