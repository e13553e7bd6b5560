using System.Diagnostics;
using System.Text;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;

namespace Proviso.Bench;

/// <summary>Analysis time of a ~100-page contract (the dev-set Markdown contracts repeated to ~300,000 characters, ~3,000 per page).</summary>
internal static class ScanSpeed
{
    public static void Run(string contractsDir)
    {
        var parts = Directory.GetFiles(contractsDir, "*.md").Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)).Select(File.ReadAllText).ToList();
        var sb = new StringBuilder();
        while (sb.Length < 300_000)
        {
            foreach (var p in parts)
            {
                sb.Append(p).Append('\n');
            }
        }
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var analyzer = new ClauseAnalyzer(ClausePlaybook.Default());
        analyzer.Analyze(DocumentReader.Read(new MemoryStream(bytes), "warmup.md"));
        var times = new List<double>();
        ContractDocument? doc = null;
        for (var run = 0; run < 7; run++)
        {
            var sw = Stopwatch.StartNew();
            doc = DocumentReader.Read(new MemoryStream(bytes), "hundred-pages.md");
            analyzer.Analyze(doc);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var before = GC.GetTotalAllocatedBytes(true);
        analyzer.Analyze(DocumentReader.Read(new MemoryStream(bytes), "hundred-pages.md"));
        var allocated = GC.GetTotalAllocatedBytes(true) - before;
        Console.WriteLine($"scan-speed: {doc!.Text.Length:N0} characters (~{doc.Text.Length / 3000} pages), {doc.Sentences.Count:N0} sentences: median {times[3]:F0} ms (runs {string.Join(", ", times.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}); {allocated / 1024 / 1024} MB allocated per analysis");
    }
}
