using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig;

namespace Proviso.Clauses.Reading;

/// <summary>Reads PDF, DOCX, Markdown, HTML and plain text into a <see cref="ContractDocument"/>.</summary>
public static partial class DocumentReader
{
    /// <summary>Largest file accepted.</summary>
    public const long MaxBytes = 50 * 1024 * 1024;

    /// <summary>Most pages read from a PDF.</summary>
    public const int MaxPages = 1000;

    /// <summary>Largest uncompressed size of a DOCX part (zip-bomb guard).</summary>
    public const long MaxDocxPartBytes = 64 * 1024 * 1024;

    public static ContractDocument Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new DocumentReadException("no such file");
        }
        if (info.Length > MaxBytes)
        {
            throw new DocumentReadException($"the file is {info.Length / 1024 / 1024} MB; the limit is {MaxBytes / 1024 / 1024} MB");
        }
        using var stream = info.OpenRead();
        return Read(stream, info.Name);
    }

    public static ContractDocument Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        if (ms.Length == 0)
        {
            throw new DocumentReadException("the file is empty");
        }
        var bytes = ms.ToArray();
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        var doc = ext switch
        {
            ".pdf" => ReadPdf(bytes, fileName),
            ".docx" => ReadDocx(bytes, fileName),
            ".html" or ".htm" => FromPlain(fileName, HtmlToText(Decode(bytes))),
            ".md" or ".markdown" => FromMarkdown(fileName, Decode(bytes)),
            ".txt" or "" => FromPlain(fileName, Decode(bytes)),
            _ => throw new DocumentReadException($"'{ext}' files are not supported; use PDF, DOCX, Markdown, HTML or text"),
        };
        if (doc.Text.Count(char.IsLetter) < 40)
        {
            throw new DocumentReadException("the document has almost no text");
        }
        return doc;
    }

    private static string Decode(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new DocumentReadException("the file is not valid UTF-8 text");
        }
    }

    private static ContractDocument ReadPdf(byte[] bytes, string fileName)
    {
        PdfDocument pdf;
        try
        {
            pdf = PdfDocument.Open(bytes);
        }
        catch (Exception ex) when (ex.GetType().Name.Contains("Password", StringComparison.Ordinal) || ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("encrypt", StringComparison.OrdinalIgnoreCase))
        {
            throw new DocumentReadException("the PDF is encrypted; remove the password and try again");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new DocumentReadException("the PDF is damaged or not a PDF");
        }
        using (pdf)
        {
            if (pdf.NumberOfPages > MaxPages)
            {
                throw new DocumentReadException($"the PDF has {pdf.NumberOfPages} pages; the limit is {MaxPages}");
            }
            var pages = new List<string>();
            foreach (var page in pdf.GetPages())
            {
                pages.Add(UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor.ContentOrderTextExtractor.GetText(page));
            }
            if (pages.Sum(p => p.Count(char.IsLetter)) < 40)
            {
                throw new DocumentReadException("the PDF has no text layer; OCR needed");
            }
            RemoveRepeatedLines(pages);
            var sb = new StringBuilder();
            var starts = new List<int>();
            foreach (var p in pages)
            {
                starts.Add(sb.Length);
                sb.Append(JoinWrappedLines(Normalize(Dehyphenate(p)))).Append('\n');
            }
            var text = sb.ToString();
            return new ContractDocument { FileName = fileName, Text = text, PageStarts = starts, Sections = FindSections(text) };
        }
    }

    /// <summary>Running headers and footers: lines that appear on most pages are removed.</summary>
    private static void RemoveRepeatedLines(List<string> pages)
    {
        if (pages.Count < 3)
        {
            return;
        }
        static string Key(string line) => Regex.Replace(line.Trim(), @"\d+", "#");
        var counts = pages.SelectMany(p => p.Split('\n').Select(Key).Where(l => l.Length > 0).Distinct())
            .GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var repeated = counts.Where(c => c.Value >= pages.Count * 0.6).Select(c => c.Key).ToHashSet();
        for (var i = 0; i < pages.Count; i++)
        {
            pages[i] = string.Join('\n', pages[i].Split('\n').Where(l => !repeated.Contains(Key(l))));
        }
    }

    private static string Dehyphenate(string text) => HyphenBreak().Replace(text, "$1$2");

    /// <summary>PDF lines wrap inside sentences; a line break is kept only where a paragraph plausibly ends.</summary>
    private static string JoinWrappedLines(string text)
    {
        var lines = text.Split('\n');
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            sb.Append(lines[i]);
            if (i == lines.Length - 1)
            {
                break;
            }
            var endsParagraph = lines[i].Length < 40 || lines[i][^1] is '.' or ':' or ';' || SectionStart().IsMatch(lines[i + 1]) || lines[i + 1].StartsWith('(');
            sb.Append(endsParagraph ? '\n' : ' ');
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"(\p{Ll})-\r?\n(\p{Ll})")]
    private static partial Regex HyphenBreak();

    private static ContractDocument ReadDocx(byte[] bytes, string fileName)
    {
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            {
                foreach (var entry in zip.Entries)
                {
                    if (entry.Length > MaxDocxPartBytes || (entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > 200))
                    {
                        throw new DocumentReadException("the DOCX expands to an implausible size (zip bomb?)");
                    }
                }
            }
            using var doc = WordprocessingDocument.Open(new MemoryStream(bytes), false, new DocumentFormat.OpenXml.Packaging.OpenSettings { MaxCharactersInPart = MaxDocxPartBytes });
            var body = doc.MainDocumentPart?.Document?.Body ?? throw new DocumentReadException("the DOCX has no body");
            var sb = new StringBuilder();
            var counters = new Dictionary<(int, int), int>();
            foreach (var element in body.Elements())
            {
                switch (element)
                {
                    case Paragraph p:
                        var prefix = NumberingPrefix(p, counters);
                        var text = string.Concat(p.Descendants<Text>().Select(t => t.Text));
                        if (text.Trim().Length > 0)
                        {
                            sb.Append(prefix).Append(text.Trim()).Append('\n');
                        }
                        break;
                    case Table table:
                        foreach (var row in table.Elements<TableRow>())
                        {
                            sb.Append(string.Join(" | ", row.Elements<TableCell>().Select(c => string.Join(' ', c.Descendants<Text>().Select(t => t.Text)).Trim()))).Append('\n');
                        }
                        break;
                }
            }
            foreach (var note in doc.MainDocumentPart?.FootnotesPart?.Footnotes?.Elements<Footnote>() ?? [])
            {
                var t = string.Concat(note.Descendants<Text>().Select(x => x.Text)).Trim();
                if (t.Length > 0)
                {
                    sb.Append("Footnote: ").Append(t).Append('\n');
                }
            }
            var all = Normalize(sb.ToString());
            return new ContractDocument { FileName = fileName, Text = all, Sections = FindSections(all) };
        }
        catch (Exception ex) when (ex is InvalidDataException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or System.Xml.XmlException or IOException)
        {
            throw new DocumentReadException("the DOCX is damaged or not a DOCX");
        }
    }

    /// <summary>"1.", "1.1" style prefixes from Word's list numbering, so section numbers survive.</summary>
    private static string NumberingPrefix(Paragraph p, Dictionary<(int, int), int> counters)
    {
        var numbering = p.ParagraphProperties?.NumberingProperties;
        if (numbering?.NumberingId?.Val is null)
        {
            return "";
        }
        var id = numbering.NumberingId.Val.Value;
        var level = numbering.NumberingLevelReference?.Val?.Value ?? 0;
        counters[(id, level)] = counters.GetValueOrDefault((id, level)) + 1;
        foreach (var deeper in counters.Keys.Where(k => k.Item1 == id && k.Item2 > level).ToList())
        {
            counters.Remove(deeper);
        }
        var parts = Enumerable.Range(0, level + 1).Select(l => counters.GetValueOrDefault((id, l), 1));
        return string.Join('.', parts) + ". ";
    }

    private static ContractDocument FromMarkdown(string fileName, string markdown)
    {
        // Keep the text people read: drop tags and emphasis markers, keep list numbers and headings.
        var text = HtmlTag().Replace(markdown, "");
        text = MarkdownLink().Replace(text, "$1");
        text = text.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal);
        text = Regex.Replace(text, @"^\s*#+\s*", "", RegexOptions.Multiline);
        text = WebUtility.HtmlDecode(text);
        var normalized = Normalize(text);
        return new ContractDocument { FileName = fileName, Text = normalized, Sections = FindSections(normalized) };
    }

    private static ContractDocument FromPlain(string fileName, string text)
    {
        var normalized = Normalize(text);
        return new ContractDocument { FileName = fileName, Text = normalized, Sections = FindSections(normalized) };
    }

    private static string HtmlToText(string html)
    {
        var text = Regex.Replace(html, @"<(script|style)[^>]*>.*?</\1>", "", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        text = Regex.Replace(text, @"<(br|/p|/div|/li|/h\d|/tr)[^>]*>", "\n", RegexOptions.IgnoreCase);
        text = HtmlTag().Replace(text, "");
        return WebUtility.HtmlDecode(text);
    }

    /// <summary>One line per paragraph, single spaces, no indentation.</summary>
    private static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(l => Regex.Replace(l, @"[ \t\u00A0]+", " ").Trim())
            .Where(l => l.Length > 0);
        return string.Join('\n', lines);
    }

    /// <summary>Lines that open with a clause number ("7.", "7.2", "1.") start sections.</summary>
    private static List<Section> FindSections(string text)
    {
        var sections = new List<Section>();
        foreach (Match m in SectionStart().Matches(text))
        {
            var heading = m.Groups["heading"].Value.Trim().TrimEnd('.');
            sections.Add(new Section(m.Groups["number"].Value.TrimEnd('.'), heading.Length is > 0 and < 80 ? heading : null, m.Index, text.Length));
        }
        for (var i = 0; i < sections.Count - 1; i++)
        {
            sections[i] = sections[i] with { End = sections[i + 1].Start };
        }
        return sections;
    }

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(?m)^(?<number>\d{1,2}(?:\.\d{1,2}){0,3}\.?)\s+(?<heading>[A-Z][^.\n]{0,79}\.)?")]
    private static partial Regex SectionStart();
}
