using System.IO.Compression;
using System.Text;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Proviso.Clauses.Tests;

/// <summary>The bad and awkward inputs of the contract engine: each gives a clear error or a clear outcome.</summary>
public class HardInputTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", "contracts", name);

    private static byte[] Pdf(int pages, Func<int, IEnumerable<string>> lines)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var i = 1; i <= pages; i++)
        {
            var page = builder.AddPage(PageSize.A4);
            var y = 800.0;
            foreach (var line in lines(i))
            {
                page.AddText(line, 10, new PdfPoint(40, y), font);
                y -= 14;
            }
        }
        return builder.Build();
    }

    [Fact]
    public void EncryptedPdf_SaysSo()
    {
        var ex = Assert.Throws<DocumentReadException>(() => DocumentReader.Read(Data("encrypted-page1.pdf")));
        Assert.Contains("encrypted", ex.Message);
    }

    [Fact]
    public void ScannedPdf_WithoutTextLayer_AsksForOcr()
    {
        var builder = new PdfDocumentBuilder();
        for (var i = 0; i < 3; i++)
        {
            builder.AddPage(PageSize.A4).DrawRectangle(new PdfPoint(40, 40), 500, 700, 2, fill: true);
        }
        var ex = Assert.Throws<DocumentReadException>(() => DocumentReader.Read(new MemoryStream(builder.Build()), "scan.pdf"));
        Assert.Equal("the PDF has no text layer; OCR needed", ex.Message);
    }

    [Fact]
    public void DocxWithExternalEntity_IsRefused_WithoutReadingTheEntity()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"proviso-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOPSECRETVALUE " + string.Concat(Enumerable.Repeat("padding words here ", 20)));
        try
        {
            using var ms = new MemoryStream();
            using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            {
                void Add(string name, string content)
                {
                    using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                    w.Write(content);
                }
                Add("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""");
                Add("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>""");
                Add("word/document.xml", $"""<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Vendor shall notify Customer within 24 hours. &xxe;</w:t></w:r></w:p></w:body></w:document>""");
            }
            ms.Position = 0;
            var ex = Assert.Throws<DocumentReadException>(() => DocumentReader.Read(ms, "xxe.docx"));
            Assert.DoesNotContain("TOPSECRETVALUE", ex.Message);
            Assert.Contains("DOCX", ex.Message);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void FiveHundredPagePdf_IsReadAndAnalyzed_WithPageNumbers()
    {
        var bytes = Pdf(500, page => page == 437
            ? [$"{page}. Security Incidents.", "Provider will notify Customer of any Security Incident within 36 hours of becoming aware of it."]
            : [$"{page}. General terms.", "The parties shall perform their obligations under this Agreement in good faith.", "Each party shall bear its own costs unless this Agreement says otherwise."]);
        var doc = DocumentReader.Read(new MemoryStream(bytes), "long.pdf");
        Assert.Equal(500, doc.PageStarts.Count);

        var result = new ClauseAnalyzer(ClausePlaybook.Default()).Analyze(doc);

        var breach = result.Clauses["breach-notification"];
        Assert.Equal(ClauseStatus.Present, breach.Status);
        Assert.Equal(36, Convert.ToInt32(breach.Params["hours"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(437, breach.Location!.Page);
        Assert.Null(result.Warning);
    }

    [Fact]
    public void NotAContract_IsAnalyzed_ButFlagged()
    {
        const string recipe = """
            Lemon drizzle cake

            Heat the oven to 180 degrees. Beat the butter and sugar until pale and fluffy, then add the eggs one at a time.
            Fold in the flour and the zest of two lemons. Pour the batter into a lined tin and bake for forty-five minutes.
            While the cake is warm, mix the juice of the lemons with icing sugar and spoon it over the top.
            Leave it to cool in the tin before slicing. It keeps for three days in an airtight box.
            """;
        var doc = DocumentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(recipe)), "cake.txt");

        var result = new ClauseAnalyzer(ClausePlaybook.Default()).Analyze(doc);

        Assert.All(result.Clauses.Values, c => Assert.Equal(ClauseStatus.Missing, c.Status));
        Assert.Contains("does not look like a contract", result.Warning);
        Assert.Contains("does not look like a contract", ScanOutput.ToJson(result)["warning"]!.GetValue<string>());
    }

    [Fact]
    public void ContractWithoutAnyPlaybookClause_IsNotFlagged()
    {
        const string text = """
            1. Term. This Agreement begins on the Effective Date and continues for one year unless terminated earlier.
            2. Fees. Customer shall pay the fees in the Order Form within thirty days of invoice.
            3. Liability. Neither party shall be liable for indirect damages. Each party warrants that it has authority to enter this Agreement.
            4. Governing law. This Agreement is governed by the laws of the State of New York.
            """;
        var result = new ClauseAnalyzer(ClausePlaybook.Default()).Analyze(DocumentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "msa.txt"));
        Assert.Null(result.Warning);
    }
}
