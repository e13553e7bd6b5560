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
        var chunkSize = int.TryParse(Environment.GetEnvironmentVariable("PII_CHUNK"), out var cs) ? cs : 0;
        var chunks = chunkSize > 0 ? Enumerable.Range(0, (text.Length + chunkSize - 1) / chunkSize).Select(k => text.Substring(k * chunkSize, Math.Min(chunkSize, text.Length - (k * chunkSize)))).ToArray() : text.Split('\n');
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
        if (Environment.GetEnvironmentVariable("PII_REPEAT") is { } rep)
        {
            var small = PiiCorpus.Text(64 * 1024);
            var sw2 = Stopwatch.StartNew();
            var n = int.Parse(rep, System.Globalization.CultureInfo.InvariantCulture);
            for (var k = 0; k < n; k++)
            {
                detector.Detect(small);
            }
            Console.WriteLine($"repeat 64KB x{n}: {small.Length * (double)n / 1024 / 1024 / sw2.Elapsed.TotalSeconds:F1} MB/s");
            var sw3 = Stopwatch.StartNew();
            for (var k = 0; k < n; k++)
            {
                detector.Detect(chunks[k % chunks.Length]);
            }
            Console.WriteLine($"chunks x{n}: {chunks.Take(n).Sum(c => (double)c.Length) / 1024 / 1024 / sw3.Elapsed.TotalSeconds:F1} MB/s");
        }
        var mb = text.Length / 1024.0 / 1024.0;
        Console.WriteLine($"pii-speed: {mb:F1} MB prose, {findings:N0} findings ({text.Length / Math.Max(1, findings)} chars per finding); median {mb / times[2]:F1} MB/s (runs {string.Join(", ", times.Select(t => (mb / t).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))})");
    }
}
