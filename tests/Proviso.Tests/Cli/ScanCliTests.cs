using System.Text.Json;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Cli;

[Collection("Console")]
public class ScanCliTests
{
    [Fact]
    public async Task Scan_Json_HasEveryKindForEveryFile_AndMdWritesReports()
    {
        var dir = TestDatabase.NewTempDir();
        var a = Path.Combine(dir, "a.md");
        var b = Path.Combine(dir, "b.txt");
        await File.WriteAllTextAsync(a, "1. Security.\nVendor will notify Customer of any Security Incident within 24 hours.\n2. Training. Vendor shall not use Customer Data to train any model.");
        await File.WriteAllTextAsync(b, "1. Data.\nVendor may use Customer Content in aggregated form to train and improve its machine learning models and services.");

        var (exit, stdout, _) = await CliTests.RunAsync("scan", a, b, "--json", "--md", Path.Combine(dir, "reports"));

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        foreach (var file in doc.RootElement.EnumerateArray())
        {
            Assert.Equal(16, file.GetProperty("clauses").EnumerateObject().Count());
        }
        Assert.Equal("present", doc.RootElement[0].GetProperty("clauses").GetProperty("breach-notification").GetProperty("status").GetString());
        Assert.Equal(24, doc.RootElement[0].GetProperty("clauses").GetProperty("breach-notification").GetProperty("params").GetProperty("hours").GetInt32());
        Assert.Equal("contrary", doc.RootElement[1].GetProperty("clauses").GetProperty("non-training").GetProperty("status").GetString());
        Assert.Contains("Negotiation memo", await File.ReadAllTextAsync(Path.Combine(dir, "reports", "b.review.md")));
    }

    [Fact]
    public async Task Scan_UnreadableFile_FailsWithOneLine()
    {
        var dir = TestDatabase.NewTempDir();
        var bad = Path.Combine(dir, "broken.pdf");
        await File.WriteAllTextAsync(bad, "%PDF-1.4 garbage");
        var (exit, _, stderr) = await CliTests.RunAsync("scan", bad, "--json");
        Assert.Equal(1, exit);
        Assert.Equal("proviso: broken.pdf: the PDF is damaged or not a PDF", stderr.Trim());
    }

    [Fact]
    public async Task Scan_Html_WritesReport_AndNonContractWarnsOnStderr()
    {
        var dir = TestDatabase.NewTempDir();
        var contract = Path.Combine(dir, "dpa.txt");
        var notes = Path.Combine(dir, "notes.txt");
        await File.WriteAllTextAsync(contract, "1. Deletion. Within 90 days after termination, Vendor shall delete Customer Data.\n2. Security. Vendor shall notify Customer of a Security Incident within 48 hours.");
        await File.WriteAllTextAsync(notes, "Meeting notes. We talked about the garden, the weather in March and which bus goes to the station. Nobody remembered the cake.");

        var (exit, stdout, stderr) = await CliTests.RunAsync("scan", contract, notes, "--html", Path.Combine(dir, "html"));

        Assert.Equal(0, exit);
        Assert.Contains("dpa.txt: score", stdout, StringComparison.Ordinal);
        Assert.Equal("proviso: notes.txt: warning: this does not look like a contract: no clause of the playbook was found and there is little contract language (parties, obligations, terms)", stderr.Trim());
        var html = await File.ReadAllTextAsync(Path.Combine(dir, "html", "dpa.review.html"));
        Assert.Contains("<span class=\"status weak\">weak</span>", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "html", "notes.review.html")));
    }

    [Fact]
    public async Task Scan_WithLlm_AsksTheModelAboutGapsOnly_AndKeepsTheEngineFindingsWhenAnswersAreUnusable()
    {
        await using var stub = await Gateway.StubUpstream.StartAsync();
        var dir = TestDatabase.NewTempDir();
        var file = Path.Combine(dir, "terms.txt");
        await File.WriteAllTextAsync(file, "1. Encryption. Vendor encrypts Customer Data at rest and in transit.\n2. Models. Prompts and outputs are excluded from every model improvement programme Vendor runs.");

        var (exit, stdout, _) = await CliTests.RunAsync("scan", file, "--json", "--llm-url", stub.BaseUrl, "--llm-model", "demo-llm");

        Assert.Equal(0, exit);
        // The request went through the official OpenAI client with the numbered shortlist; encryption (present) was not asked about.
        Assert.Contains("Numbered sentences from the contract", stub.AllReceived, StringComparison.Ordinal);
        Assert.Contains("model improvement programme", stub.AllReceived, StringComparison.Ordinal);
        Assert.DoesNotContain("(encryption)", stub.AllReceived, StringComparison.Ordinal);
        // The stub echoes instead of answering in JSON: no opinion is invented, the engine's findings stand.
        using var doc = JsonDocument.Parse(stdout);
        var clauses = doc.RootElement[0].GetProperty("clauses");
        Assert.Equal("present", clauses.GetProperty("encryption").GetProperty("status").GetString());
        Assert.All(clauses.EnumerateObject(), c => Assert.False(c.Value.TryGetProperty("llm", out _)));
    }

    [Fact]
    public async Task Scan_WithUnreachableLlm_StillReports_AndSaysTheReviewWasSkipped()
    {
        var dir = TestDatabase.NewTempDir();
        var file = Path.Combine(dir, "terms.txt");
        await File.WriteAllTextAsync(file, "1. Security. Vendor will notify Customer of a Security Incident without undue delay.\n2. Other. The parties agree to the terms of this agreement.");

        var (exit, stdout, stderr) = await CliTests.RunAsync("scan", file, "--json", "--llm-url", "http://127.0.0.1:9/v1");

        Assert.Equal(0, exit);
        Assert.StartsWith("proviso: LLM review skipped:", stderr.Trim(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("weak", doc.RootElement[0].GetProperty("clauses").GetProperty("breach-notification").GetProperty("status").GetString());

        var (badExit, _, badErr) = await CliTests.RunAsync("scan", file, "--llm-url", "ftp://example.test/v1");
        Assert.Equal(1, badExit);
        Assert.Equal("proviso: --llm-url: 'ftp://example.test/v1' is not an http(s) URL", badErr.Trim());
    }
}
