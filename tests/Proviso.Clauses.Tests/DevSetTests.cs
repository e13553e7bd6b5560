using System.Text.Json;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;
using Xunit.Abstractions;

namespace Proviso.Clauses.Tests;

/// <summary>Status accuracy and parameter exact-match on the labeled dev set (tests/data/contracts, see SOURCES.md).</summary>
public class DevSetTests(ITestOutputHelper output)
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", "contracts", name);

    internal static (double Status, double Params, List<string> Misses) Evaluate()
    {
        using var labels = JsonDocument.Parse(File.ReadAllText(Data("labels.json")));
        var analyzer = new ClauseAnalyzer(ClausePlaybook.Default());
        int statusHits = 0, statusTotal = 0, paramHits = 0, paramTotal = 0;
        var misses = new List<string>();
        foreach (var doc in labels.RootElement.EnumerateArray())
        {
            var file = doc.GetProperty("file").GetString()!;
            var result = ScanOutput.ToJson(analyzer.Analyze(DocumentReader.Read(Data(file))));
            foreach (var clause in doc.GetProperty("clauses").EnumerateObject())
            {
                var expected = clause.Value.GetProperty("status").GetString();
                var actual = result["clauses"]![clause.Name]!["status"]!.GetValue<string>();
                statusTotal++;
                if (expected == actual)
                {
                    statusHits++;
                }
                else
                {
                    misses.Add($"{file} {clause.Name}: expected {expected}, got {actual}");
                }
                foreach (var p in clause.Value.GetProperty("params").EnumerateObject())
                {
                    paramTotal++;
                    var got = result["clauses"]![clause.Name]!["params"]![p.Name];
                    var same = got is not null && JsonNormal(got.ToJsonString()) == JsonNormal(p.Value.GetRawText());
                    if (same)
                    {
                        paramHits++;
                    }
                    else
                    {
                        misses.Add($"{file} {clause.Name}.{p.Name}: expected {JsonNormal(p.Value.GetRawText())}, got {(got is null ? "nothing" : JsonNormal(got.ToJsonString()))}");
                    }
                }
            }
        }
        return ((double)statusHits / statusTotal, (double)paramHits / paramTotal, misses);
    }

    private static string JsonNormal(string json)
    {
        using var d = JsonDocument.Parse(json);
        return d.RootElement.ValueKind == JsonValueKind.Array
            ? string.Join(",", d.RootElement.EnumerateArray().Select(e => e.ToString()).Order())
            : d.RootElement.ToString();
    }

    [Fact]
    public void DevSet_AccuracyIsReported_AndDoesNotRegress()
    {
        var (status, parameters, misses) = Evaluate();
        output.WriteLine($"status accuracy {status:F3}, parameter exact match {parameters:F3}");
        foreach (var m in misses)
        {
            output.WriteLine(m);
        }
        // The issue's target (0.9 for both); figures recorded in docs/benchmarks.md.
        Assert.True(status >= 0.9, $"status accuracy {status:F3}");
        Assert.True(parameters >= 0.9, $"parameter exact match {parameters:F3}");
    }
}
