using System.Text;
using Proviso.Clauses.Reading;

namespace Proviso.Clauses.Tests;

public class ReadingTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", "contracts", name);

    [Theory]
    [InlineData("bonterms-dpa.pdf")]
    [InlineData("bonterms-dpa-playbook.docx")]
    [InlineData("bonterms-dpa-setup-page-example.docx")]
    [InlineData("commonpaper-dpa.md")]
    public void RealDocuments_AreReadIntoSentencesWithSections(string file)
    {
        var doc = DocumentReader.Read(Data(file));
        Assert.True(doc.Text.Length > 500);
        Assert.NotEmpty(doc.Sentences);
        Assert.All(doc.Sentences.Take(50), s => Assert.Equal(s.Text, doc.Text[s.Start..s.End]));
    }

    [Fact]
    public void Pdf_HasPagesAndDehyphenatedText()
    {
        var doc = DocumentReader.Read(Data("bonterms-dpa.pdf"));
        Assert.True(doc.PageStarts.Count > 1);
        Assert.Contains(doc.Sentences, s => s.Page > 1);
        Assert.DoesNotContain("Sub-\nprocessor", doc.Text);
    }

    [Theory]
    [InlineData("", "x.md", "empty")]
    [InlineData("%PDF-1.7 this is not really a pdf", "x.pdf", "damaged or not a PDF")]
    [InlineData("PK\u0003\u0004 broken zip", "x.docx", "damaged or not a DOCX")]
    [InlineData("hello", "x.xls", "not supported")]
    [InlineData("ok.", "x.txt", "almost no text")]
    public void BadFiles_GiveAClearError(string content, string name, string message)
    {
        var ex = Assert.Throws<DocumentReadException>(() => DocumentReader.Read(new MemoryStream(Encoding.Latin1.GetBytes(content)), name));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void DocxZipBomb_IsRefused()
    {
        using var ms = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("word/document.xml", System.IO.Compression.CompressionLevel.SmallestSize);
            using var s = entry.Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 80; i++)
            {
                s.Write(zeros);
            }
        }
        ms.Position = 0;
        var ex = Assert.Throws<DocumentReadException>(() => DocumentReader.Read(ms, "bomb.docx"));
        Assert.Contains("zip bomb", ex.Message);
    }
}
