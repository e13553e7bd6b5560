using System.Text;
using System.Xml.Linq;
using Proviso.Diligence.Evidence;
using Proviso.Diligence.Flows;

namespace Proviso.Diligence.Tests;

public sealed class EvidenceAndFlowTests
{
    [Theory]
    [InlineData("report.pdf", "%PDF-1.7\n...", "application/pdf")]
    [InlineData("policy.md", "# Access control policy\n", "text/markdown; charset=utf-8")]
    [InlineData("controls.csv", "\uFEFFcontrol,owner\n", "text/csv; charset=utf-8")]
    public void Files_whose_content_matches_their_name_are_accepted(string name, string content, string type) =>
        Assert.Equal(type, FileSniffer.Check(name, Encoding.UTF8.GetPreamble().Take(content.StartsWith('\uFEFF') ? 3 : 0).Concat(Encoding.UTF8.GetBytes(content.TrimStart('\uFEFF'))).ToArray()).ContentType);

    [Theory]
    [InlineData("soc2.pdf", new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, "Windows executable")]
    [InlineData("soc2.pdf", new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1 }, "Linux executable")]
    [InlineData("iso.pdf", new byte[] { (byte)'#', (byte)'!', (byte)'/', (byte)'b' }, "script")]
    [InlineData("policy.txt", new byte[] { 0xFF, 0xFE, 0, 0x41 }, "binary file")]
    [InlineData("notes.docx", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, "legacy Office")]
    [InlineData("scan.png", new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-' }, "a PDF")]
    public void Files_that_lie_about_their_type_are_refused_with_what_they_really_are(string name, byte[] content, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => FileSniffer.Check(name, content));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("not stored", ex.Message);
    }

    [Theory]
    [InlineData("tool.exe", "not accepted")]
    [InlineData("README", "no extension")]
    public void Unaccepted_extensions_and_empty_files_are_refused(string name, string expected)
    {
        Assert.Contains(expected, Assert.Throws<FormatException>(() => FileSniffer.Check(name, "x"u8)).Message);
        Assert.Contains("empty", Assert.Throws<FormatException>(() => FileSniffer.Check("a.pdf", [])).Message);
    }

    [Fact]
    public void Data_flow_diagram_draws_each_declared_hop_once_and_escapes_labels()
    {
        var svg = DataFlowDiagram.Render("Acme <AI> flows", [
            new DataFlow("CRM", ["Contact data", "Customer content"], "Acme Chat", "eu-west-1", ["Hosting & Co"]),
            new DataFlow("Helpdesk", ["Customer content"], "Acme Chat", "eu-west-1", []),
        ]);
        var doc = XDocument.Parse(svg); // well-formed XML, labels escaped
        XNamespace ns = "http://www.w3.org/2000/svg";
        var nodes = doc.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "node").Select(g => g.Element(ns + "title")!.Value).ToList();
        Assert.Equal(["CRM", "Helpdesk", "Contact data", "Customer content", "Acme Chat", "eu-west-1", "Hosting & Co"], nodes);
        // CRM→2 categories, Helpdesk→1, 2 categories→service, service→region, region→sub-processor
        Assert.Equal(7, doc.Descendants(ns + "path").Count(p => (string?)p.Attribute("class") == "edge"));
        Assert.Contains("Acme &lt;AI&gt; flows", svg);
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Empty_diagram_says_so() =>
        Assert.Contains("No data flows declared yet", DataFlowDiagram.Render("x", []));
}
