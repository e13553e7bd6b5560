namespace Proviso.Clauses.Reading;

/// <summary>A section of a contract: its number ("7.2") and heading, with character offsets into <see cref="ContractDocument.Text"/>.</summary>
public sealed record Section(string? Number, string? Heading, int Start, int End);

/// <summary>A sentence with its character offsets, the section it belongs to and its page (PDF only).</summary>
public sealed record Sentence(string Text, int Start, int End, Section? Section, int? Page);

/// <summary>Where a quote was found: page (PDF), section number and character offsets in the extracted text.</summary>
public sealed record Location(int? Page, string? Section, int Start, int End);

/// <summary>
/// The plain text of a contract, whatever it was written in, with its sections and sentences.
/// Offsets are positions in <see cref="Text"/> (markup removed, whitespace normalized).
/// </summary>
public sealed class ContractDocument
{
    public required string FileName { get; init; }

    public required string Text { get; init; }

    public IReadOnlyList<Section> Sections { get; init; } = [];

    /// <summary>Start offset of each page (PDF); empty for formats without pages.</summary>
    public IReadOnlyList<int> PageStarts { get; init; } = [];

    private IReadOnlyList<Sentence>? _sentences;

    /// <summary>Sentences, split once on first use.</summary>
    public IReadOnlyList<Sentence> Sentences => _sentences ??= Segmenter.Split(this);

    public int? PageAt(int offset)
    {
        if (PageStarts.Count == 0)
        {
            return null;
        }
        var page = 1;
        for (var i = 0; i < PageStarts.Count && PageStarts[i] <= offset; i++)
        {
            page = i + 1;
        }
        return page;
    }

    public Section? SectionAt(int offset) => Sections.LastOrDefault(s => s.Start <= offset && offset < s.End) ?? Sections.LastOrDefault(s => s.Start <= offset);
}

/// <summary>A document that cannot be read; the message says why in words a person can act on.</summary>
public sealed class DocumentReadException(string message) : Exception(message);
