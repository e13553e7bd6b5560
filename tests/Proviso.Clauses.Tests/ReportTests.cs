using System.Text;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;

namespace Proviso.Clauses.Tests;

public class ReportTests
{
    private static ContractAnalysis Analyze(string text, ClausePlaybook? playbook = null) =>
        new ClauseAnalyzer(playbook ?? ClausePlaybook.Default()).Analyze(DocumentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "c.txt"));

    private const string Contract = """
        1. Training. Vendor may use Customer Content in aggregated form to train and improve its models <script>alert(1)</script>.
        2. Security. Vendor will notify Customer of any Security Incident without undue delay.
        3. Encryption. Vendor encrypts Customer Data at rest and in transit.
        """;

    [Fact]
    public void ClauseLibrary_HasAnEntryForEveryKind()
    {
        Assert.Equal(ClausePlaybook.Kinds.Order(StringComparer.Ordinal), ClauseLibrary.All.Keys.Order(StringComparer.Ordinal));
        Assert.All(ClauseLibrary.All.Values, t => Assert.True(t.Title.Length > 5 && t.Risk.Length > 20 && t.Language.Length > 40));
    }

    [Fact]
    public void Memo_PutsContraryFirst_AndSkipsPresentClauses()
    {
        var analysis = Analyze(Contract);
        var gaps = ScanOutput.Gaps(analysis, ClausePlaybook.Default());
        Assert.Equal("non-training", gaps[0]);
        Assert.DoesNotContain("encryption", gaps);
        Assert.Contains("breach-notification", gaps);
        Assert.Equal(15, gaps.Count);
    }

    [Fact]
    public void Html_IsSelfContained_AndEncodesTheContractText()
    {
        var html = ScanOutput.ToHtml(Analyze(Contract), ClausePlaybook.Default());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http://", "", StringComparison.Ordinal).Replace("https://", "", StringComparison.Ordinal), StringComparison.Ordinal);
        foreach (var kind in ClausePlaybook.Kinds)
        {
            Assert.Contains($"id=\"{kind}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains(WebUtilityEncode(ClauseLibrary.All["deletion-on-termination"].Language), html, StringComparison.Ordinal);
    }

    [Fact]
    public void Playbook_CanReplaceModelLanguage()
    {
        var playbook = ClausePlaybook.WithOverrides("breach-notification:\n  model_language: Vendor will notify within 24 hours, by phone and email.\n");
        var md = ScanOutput.ToMarkdown(Analyze(Contract, playbook), playbook);
        Assert.Contains("Vendor will notify within 24 hours, by phone and email.", md, StringComparison.Ordinal);
        Assert.DoesNotContain(ClauseLibrary.All["breach-notification"].Language, md, StringComparison.Ordinal);
    }

    private static string WebUtilityEncode(string s) => System.Net.WebUtility.HtmlEncode(s);
}
