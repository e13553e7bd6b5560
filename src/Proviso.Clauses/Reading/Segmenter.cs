using System.Text.RegularExpressions;

namespace Proviso.Clauses.Reading;

/// <summary>Splits text into sentences, keeping abbreviations ("e.g.", "Inc.", "s. 7") and numbered lists ("(a)") inside them.</summary>
internal static partial class Segmenter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "no", "nos", "s", "ss", "sec", "art", "para", "vs", "v", "u.s", "u.k", "mr", "ms", "dr", "st", "cf",
    };

    public static IReadOnlyList<Sentence> Split(ContractDocument doc)
    {
        var text = doc.Text;
        var sentences = new List<Sentence>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var end = -1;
            if (c == '\n')
            {
                end = i;
            }
            else if (c is '.' or '?' or '!' or ';' && i + 1 < text.Length && char.IsWhiteSpace(text[i + 1]))
            {
                if (c == '.' && IsAbbreviation(text, i))
                {
                    continue;
                }
                // "; (b)" continues a list inside one sentence; a ';' ends a sentence only before a new line.
                if (c == ';')
                {
                    continue;
                }
                end = i + 1;
            }
            if (end >= 0)
            {
                Add(doc, sentences, start, end);
                start = end;
            }
        }
        Add(doc, sentences, start, text.Length);
        return sentences;
    }

    private static void Add(ContractDocument doc, List<Sentence> sentences, int start, int end)
    {
        var text = doc.Text;
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        if (end - start < 2)
        {
            return;
        }
        sentences.Add(new Sentence(text[start..end], start, end, doc.SectionAt(start), doc.PageAt(start)));
    }

    private static bool IsAbbreviation(string text, int dot)
    {
        var b = dot - 1;
        while (b >= 0 && (char.IsLetter(text[b]) || text[b] == '.'))
        {
            b--;
        }
        var word = text.Substring(b + 1, dot - b - 1);
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return true; // an initial
        }
        if (Abbreviations.Contains(word))
        {
            return true;
        }
        // "Section 7.2." keeps going when a digit follows; decimal numbers never end sentences.
        return dot + 1 < text.Length && char.IsDigit(text[dot + 1]);
    }
}
