using System.Text;

namespace Proviso.Diligence.Evidence;

/// <summary>What an uploaded file really is, judged by its bytes, and whether that matches its name.</summary>
public sealed record SniffResult(string ContentType, string Description);

/// <summary>
/// Refuses uploads that lie about their type. Evidence files are documents people open; an executable
/// named <c>soc2.pdf</c> must never be stored and handed to a reviewer. The first bytes decide what a
/// file is; the extension must agree with them.
/// </summary>
public static class FileSniffer
{
    /// <summary>Extensions accepted for evidence, with their content types.</summary>
    public static IReadOnlyDictionary<string, string> Allowed { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [".txt"] = "text/plain; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".json"] = "application/json",
    };

    /// <summary>Checks the file's content against its name; throws <see cref="FormatException"/> with the reason when they disagree.</summary>
    public static SniffResult Check(string fileName, ReadOnlySpan<byte> content)
    {
        var ext = Path.GetExtension(fileName ?? "");
        if (content.Length == 0)
        {
            throw new FormatException($"{fileName} is empty.");
        }
        if (!Allowed.TryGetValue(ext, out var contentType))
        {
            throw new FormatException($"{fileName}: '{(ext.Length == 0 ? "no extension" : ext)}' files are not accepted as evidence; use {string.Join(", ", Allowed.Keys)}.");
        }
        var actual = Identify(content);
        var expected = ext.ToLowerInvariant() switch
        {
            ".pdf" => "PDF",
            ".png" => "PNG image",
            ".jpg" or ".jpeg" => "JPEG image",
            ".docx" or ".xlsx" or ".pptx" => "Office Open XML (zip) document",
            _ => "UTF-8 text",
        };
        if (actual != expected)
        {
            throw new FormatException($"{fileName} claims to be {Article(expected)} but its content is {Article(actual)}; it was not stored.");
        }
        return new SniffResult(contentType, actual);
    }

    private static string Article(string what) => what[0] is 'A' or 'E' or 'I' or 'O' or 'U' ? $"an {what}" : $"a {what}";

    /// <summary>Names the content from its magic bytes.</summary>
    public static string Identify(ReadOnlySpan<byte> c)
    {
        if (c.StartsWith("%PDF-"u8))
        {
            return "PDF";
        }
        if (c.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return "PNG image";
        }
        if (c.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }))
        {
            return "JPEG image";
        }
        if (c.StartsWith("PK\x03\x04"u8))
        {
            return c.IndexOf("[Content_Types].xml"u8) >= 0 || c.IndexOf("word/"u8) >= 0 || c.IndexOf("xl/"u8) >= 0 || c.IndexOf("ppt/"u8) >= 0
                ? "Office Open XML (zip) document"
                : "zip archive";
        }
        if (c.StartsWith("MZ"u8))
        {
            return "Windows executable";
        }
        if (c.StartsWith(new byte[] { 0x7F, 0x45, 0x4C, 0x46 }))
        {
            return "Linux executable (ELF)";
        }
        if (c.StartsWith(new byte[] { 0xCF, 0xFA, 0xED, 0xFE }) || c.StartsWith(new byte[] { 0xCE, 0xFA, 0xED, 0xFE }) || c.StartsWith(new byte[] { 0xCA, 0xFE, 0xBA, 0xBE }))
        {
            return "macOS or Java executable";
        }
        if (c.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
        {
            return "legacy Office (OLE) file, which can carry macros";
        }
        if (c.StartsWith("#!"u8))
        {
            return "script";
        }
        if (c.StartsWith(new byte[] { 0x1F, 0x8B }) || c.StartsWith("Rar!"u8) || c.StartsWith("7z"u8))
        {
            return "compressed archive";
        }
        var text = c.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? c[3..] : c;
        if (text.IndexOf((byte)0) < 0 && IsUtf8(text))
        {
            return "UTF-8 text";
        }
        return "binary file of unknown type";
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
