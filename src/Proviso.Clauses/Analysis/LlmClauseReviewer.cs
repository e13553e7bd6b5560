using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;

namespace Proviso.Clauses.Analysis;

/// <summary>A language model's second opinion on one clause; its evidence is always a sentence of the document.</summary>
public sealed record LlmOpinion(string Kind, ClauseStatus Status, string Evidence, Location? Location, string Reason);

/// <summary>
/// Optional LLM-assisted review (off unless a caller supplies an <see cref="IChatClient"/>, which in the
/// host points at Proviso's own gateway so the contract text is masked and ledgered like any other
/// share). It only looks at clauses the rules found missing or weak, shows the model a numbered
/// shortlist of the document's own sentences, and accepts an answer only when it names one of them:
/// the model can point, not invent quotes. It never changes the deterministic findings; its
/// opinions are reported beside them.
/// </summary>
public sealed partial class LlmClauseReviewer(IChatClient client, int candidatesPerKind = 8)
{
    private static readonly HashSet<string> Stop = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "any", "all", "its", "for", "with", "will", "shall", "may", "this", "that", "from", "into", "such", "each",
        "provider", "customer", "other", "within", "least", "including", "their", "them", "only", "under", "after", "before", "data",
    };

    public async Task<IReadOnlyList<LlmOpinion>> ReviewAsync(ContractDocument doc, ContractAnalysis analysis, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(analysis);
        var opinions = new List<LlmOpinion>();
        foreach (var kind in ClausePlaybook.Kinds.Where(k => analysis.Clauses[k].Status is ClauseStatus.Missing or ClauseStatus.Weak))
        {
            var candidates = Shortlist(doc, kind);
            if (candidates.Count == 0)
            {
                continue;
            }
            var response = await client.GetResponseAsync(Prompt(kind, candidates), new ChatOptions { Temperature = 0, ResponseFormat = ChatResponseFormat.Json }, ct);
            if (Parse(kind, response.Text, candidates) is { } opinion)
            {
                opinions.Add(opinion);
            }
        }
        return opinions;
    }

    /// <summary>The document's sentences sharing the most vocabulary with the clause's title and model language.</summary>
    internal List<Sentence> Shortlist(ContractDocument doc, string kind)
    {
        var entry = ClauseLibrary.All[kind];
        var terms = Words(entry.Title + " " + entry.Language).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return doc.Sentences
            .Select(s => (Sentence: s, Score: Words(s.Text).Distinct(StringComparer.OrdinalIgnoreCase).Count(terms.Contains)))
            .Where(x => x.Score >= 2)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Sentence.Start)
            .Take(candidatesPerKind).Select(x => x.Sentence).OrderBy(s => s.Start).ToList();
    }

    private static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length > 2 && !Stop.Contains(w));

    private static List<ChatMessage> Prompt(string kind, List<Sentence> candidates)
    {
        var entry = ClauseLibrary.All[kind];
        var sb = new StringBuilder();
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Clause: {entry.Title} ({kind}).");
        sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Protective wording looks like: \"{entry.Language}\"");
        sb.AppendLine("Numbered sentences from the contract:");
        for (var i = 0; i < candidates.Count; i++)
        {
            sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"[{i + 1}] {candidates[i].Text}");
        }
        sb.AppendLine("""Answer with JSON only: {"status": "present"|"weak"|"contrary"|"missing", "sentence": <number of the deciding sentence, or null>, "reason": "<one sentence>"}""");
        return
        [
            new(ChatRole.System, "You review vendor contracts for a customer. Judge only from the numbered sentences. 'present' protects the customer fully, 'weak' partly, 'contrary' grants the vendor the opposite, 'missing' when none of them addresses the clause."),
            new(ChatRole.User, sb.ToString()),
        ];
    }

    /// <summary>The model's answer, accepted only when well-formed and pointing at a listed sentence (or 'missing').</summary>
    internal static LlmOpinion? Parse(string kind, string? text, List<Sentence> candidates)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var json = text.Trim();
        var open = json.IndexOf('{', StringComparison.Ordinal);
        var close = json.LastIndexOf('}');
        if (open < 0 || close <= open)
        {
            return null;
        }
        try
        {
            using var d = JsonDocument.Parse(json[open..(close + 1)]);
            var root = d.RootElement;
            if (!root.TryGetProperty("status", out var st) || st.ValueKind != JsonValueKind.String
                || !ClauseStatuses.TryParse(st.GetString(), out var status))
            {
                return null;
            }
            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            if (status == ClauseStatus.Missing)
            {
                return new LlmOpinion(kind, status, "", null, reason);
            }
            if (!root.TryGetProperty("sentence", out var n) || n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out var index) || index < 1 || index > candidates.Count)
            {
                return null;
            }
            var s = candidates[index - 1];
            return new LlmOpinion(kind, status, s.Text, new Location(s.Page, s.Section?.Number, s.Start, s.End), reason);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z-]+")]
    private static partial Regex WordPattern();
}
