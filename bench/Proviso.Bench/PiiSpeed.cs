using System.Diagnostics;
using Proviso.Privacy;
using Proviso.Privacy.Operators;

namespace Proviso.Bench;

/// <summary>In-process detection + replacement throughput on one thread (no process start, no I/O).</summary>
internal static class PiiSpeed
{
    /// <summary>
    /// In process, on a given file, line by line — the way bench/pii/peers.cjs times the npm peers — after
    /// <see cref="WarmUp"/>. Prints the median of five runs (one pass over the file each; the peers' script times five too).
    /// </summary>
    public static void RunFile(string path)
    {
        var lines = File.ReadAllText(path).Split('\n');
        var chars = lines.Sum(l => (long)l.Length + 1);
        var detector = new PiiDetector();
        var anonymizer = new Anonymizer(AnonymizerKeys.Random());
        var op = new OperatorConfig();
        WarmUp(() => MaskAll(lines, detector, anonymizer, op));
        var speeds = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            var sw = Stopwatch.StartNew();
            MaskAll(lines, detector, anonymizer, op);
            speeds.Add(chars / 1024.0 / 1024 / sw.Elapsed.TotalSeconds);
        }
        speeds.Sort();
        Console.WriteLine($"Proviso in process\t{speeds[2]:F1} MB/s\t(median of 5; {chars / 1024.0 / 1024:F1} MB per run; entity types: {Entities.All.Count})");
    }

    /// <summary>
    /// What each piece of the corpus costs: every plain sentence and one instance of every entity template, detected
    /// and replaced in a loop (ns per call and per character), to see where a line's time goes.
    /// </summary>
    public static void RunParts()
    {
        var r = new Random(1);
        var only = Environment.GetEnvironmentVariable("PII_PART"); // one part only (e.g. to profile it): a piece of its text
        var parts = PiiCorpus.Sentences.Concat(PiiCorpus.Entities.Select(e => e(r))).Where(p => only is null || p.Contains(only, StringComparison.Ordinal)).ToArray();
        var detector = new PiiDetector();
        var anonymizer = new Anonymizer(AnonymizerKeys.Random());
        var op = new OperatorConfig();
        WarmUp(() => MaskAll(parts, detector, anonymizer, op));
        var n = only is null ? 200_000 : 20_000_000;
        foreach (var p in parts)
        {
            var best = double.MaxValue;
            for (var run = 0; run < 3; run++)
            {
                var sw = Stopwatch.StartNew();
                for (var k = 0; k < n; k++)
                {
                    anonymizer.Anonymize(p, detector.Detect(p), op);
                }
                best = Math.Min(best, sw.Elapsed.TotalNanoseconds / n);
            }
            Console.WriteLine($"{best,8:F0} ns {best / p.Length,6:F2} ns/char  {p}");
        }
    }

    public static void Run(int megabytes)
    {
        var text = PiiCorpus.Text(megabytes * 1024 * 1024);
        var chunkSize = int.TryParse(Environment.GetEnvironmentVariable("PII_CHUNK"), out var cs) ? cs : 0;
        var chunks = chunkSize > 0 ? Enumerable.Range(0, (text.Length + chunkSize - 1) / chunkSize).Select(k => text.Substring(k * chunkSize, Math.Min(chunkSize, text.Length - (k * chunkSize)))).ToArray() : text.Split('\n');
        var only = Environment.GetEnvironmentVariable("PII_ENTITIES");
        var detector = new PiiDetector(new DetectorOptions
        {
            Entities = only?.Split(',').ToHashSet(),
            RepeatValues = Environment.GetEnvironmentVariable("PII_NO_REPEATS") is null,
        });
        var anonymizer = new Anonymizer(AnonymizerKeys.Random());
        var op = new OperatorConfig();
        WarmUp(() => MaskAll(chunks, detector, anonymizer, op));
        var times = new List<double>();
        long findings = 0;
        var runs = int.TryParse(Environment.GetEnvironmentVariable("PII_RUNS"), out var r0) && r0 >= 5 ? r0 : 5;
        for (var run = 0; run < runs; run++)
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
            if (Environment.GetEnvironmentVariable("PII_TRACE") is not null)
            {
                Console.WriteLine($"run {run}: {text.Length / 1024.0 / 1024 / sw.Elapsed.TotalSeconds:F1} MB/s, gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms");
            }
        }
        times.Sort();
        if (Environment.GetEnvironmentVariable("PII_SPLIT") is not null)
        {
            for (var r = 0; r < 3; r++)
            {
                var found = new List<Finding>[chunks.Length];
                var sd = Stopwatch.StartNew();
                for (var k = 0; k < chunks.Length; k++)
                {
                    found[k] = detector.Detect(chunks[k]);
                }
                var detect = sd.Elapsed.TotalSeconds;
                var sa = Stopwatch.StartNew();
                for (var k = 0; k < chunks.Length; k++)
                {
                    anonymizer.Anonymize(chunks[k], found[k], op);
                }
                var anonymize = sa.Elapsed.TotalSeconds;
                Console.WriteLine($"split: detect {text.Length / 1024.0 / 1024 / detect:F1} MB/s ({detect * 1000:F0} ms), anonymize {text.Length / 1024.0 / 1024 / anonymize:F1} MB/s ({anonymize * 1000:F0} ms)");
            }
        }
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
        Console.WriteLine($"pii-speed: {mb:F1} MB prose, {findings:N0} findings ({text.Length / Math.Max(1, findings)} chars per finding); median {mb / times[times.Count / 2]:F1} MB/s (runs {string.Join(", ", times.Select(t => (mb / t).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))})");
    }

    /// <summary>Detects and replaces in each text, one after the other (what every mode times).</summary>
    private static void MaskAll(string[] texts, PiiDetector detector, Anonymizer anonymizer, OperatorConfig op)
    {
        foreach (var text in texts)
        {
            anonymizer.Anonymize(text, detector.Detect(text), op);
        }
    }

    /// <summary>
    /// Runs whole passes until at least two are done and <c>PII_WARMUP</c> seconds have passed (default 3, or 12
    /// when the process sees one processor), then pauses for the background JIT. Steady state is what is timed:
    /// .NET optimizes hot methods in the background once calls have stopped bringing new methods to compile for
    /// a while, and on one processor that wait is ten times longer (TC_DelaySingleProcMultiplier). Pinned to one
    /// core with a two-pass warm-up, loop-free methods were still running unoptimized when timing started and the
    /// figure was ~150 instead of ~185 MB/s; a run of 40 passes showed the plateau, a slower instrumented phase
    /// around the sixth second, then the optimized speed.
    /// </summary>
    private static void WarmUp(Action pass)
    {
        var seconds = double.TryParse(Environment.GetEnvironmentVariable("PII_WARMUP"), System.Globalization.CultureInfo.InvariantCulture, out var w)
            ? w
            : Environment.ProcessorCount == 1 ? 12 : 3;
        var warm = Stopwatch.StartNew();
        for (var done = 0; done < 2 || warm.Elapsed.TotalSeconds < seconds; done++)
        {
            pass();
        }
        Thread.Sleep(1500);
    }
}
