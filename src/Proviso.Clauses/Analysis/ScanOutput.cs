using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;

namespace Proviso.Clauses.Analysis;

/// <summary>The `proviso scan` outputs: the JSON contract and the Markdown and HTML gap reports.</summary>
public static class ScanOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One file's JSON object; with <paramref name="opinions"/>, each clause an LLM reviewed carries an <c>llm</c> object beside the engine's finding.</summary>
    public static JsonObject ToJson(ContractAnalysis analysis, IReadOnlyList<LlmOpinion>? opinions = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var clauses = new JsonObject();
        foreach (var kind in ClausePlaybook.Kinds)
        {
            var f = analysis.Clauses[kind];
            var p = new JsonObject();
            foreach (var (k, v) in f.Params)
            {
                p[k] = JsonSerializer.SerializeToNode(v);
            }
            clauses[kind] = new JsonObject
            {
                ["status"] = f.Status.Key(),
                ["params"] = p,
                ["evidence"] = f.Evidence,
                ["location"] = LocationJson(f.Location),
            };
            if (opinions?.FirstOrDefault(o => o.Kind == kind) is { } o)
            {
                clauses[kind]!["llm"] = new JsonObject
                {
                    ["status"] = o.Status.Key(), ["evidence"] = o.Evidence, ["reason"] = o.Reason, ["location"] = LocationJson(o.Location),
                };
            }
        }
        var result = new JsonObject { ["file"] = analysis.File, ["score"] = analysis.Score };
        if (analysis.Warning is not null)
        {
            result["warning"] = analysis.Warning;
        }
        result["clauses"] = clauses;
        return result;
    }

    private static JsonObject? LocationJson(Location? l) => l is null ? null : new JsonObject
    {
        ["page"] = l.Page, ["section"] = l.Section, ["start"] = l.Start, ["end"] = l.End,
    };

    public static string ToJsonArray(IEnumerable<ContractAnalysis> analyses, IReadOnlyDictionary<ContractAnalysis, IReadOnlyList<LlmOpinion>>? opinions = null) =>
        new JsonArray(analyses.Select(a => (JsonNode)ToJson(a, opinions?.GetValueOrDefault(a))).ToArray()).ToJsonString(Json);

    /// <summary>The clauses that need negotiation: contrary first, then weak and missing, heavier kinds first.</summary>
    public static IReadOnlyList<string> Gaps(ContractAnalysis analysis, ClausePlaybook playbook)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(playbook);
        return ClausePlaybook.Kinds.Where(k => analysis.Clauses[k].Status != ClauseStatus.Present)
            .OrderByDescending(k => analysis.Clauses[k].Status switch { ClauseStatus.Contrary => 3, ClauseStatus.Missing => 2, _ => 1 })
            .ThenByDescending(playbook.Weight).ThenBy(k => k, StringComparer.Ordinal).ToList();
    }

    private static string Status(ClauseFinding f) => f.Status.Key();

    private static string Params(ClauseFinding f) => string.Join(", ", f.Params.Select(x => $"{x.Key}={JsonSerializer.Serialize(x.Value, Json)}"));

    private static string Where(ClauseFinding f) => f.Location is null ? "" : string.Join(", ",
        new[] { f.Location.Page is { } p ? $"p. {p}" : null, f.Location.Section is { } s ? $"§ {s}" : null }.Where(x => x is not null));

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <summary>A gap report: the checklist, then model language and a negotiation memo ordered by risk.</summary>
    public static string ToMarkdown(ContractAnalysis analysis, ClausePlaybook playbook)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(playbook);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Contract review: {analysis.File}").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Score: **{analysis.Score}/100** (weighted by the playbook).").AppendLine();
        if (analysis.Warning is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"> **Warning:** {analysis.Warning}.").AppendLine();
        }
        sb.AppendLine("| clause | status | parameters | evidence | where | note |").AppendLine("|---|---|---|---|---|---|");
        foreach (var kind in ClausePlaybook.Kinds)
        {
            var f = analysis.Clauses[kind];
            var evidence = f.Evidence.Length > 160 ? f.Evidence[..157] + "…" : f.Evidence;
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {Status(f)} | {Params(f)} | {Cell(evidence)} | {Where(f)} | {Cell(f.Reason ?? "")} |");
        }
        sb.AppendLine().AppendLine("## Negotiation memo (highest risk first)").AppendLine();
        var n = 1;
        foreach (var kind in Gaps(analysis, playbook))
        {
            var f = analysis.Clauses[kind];
            var t = ClauseLibrary.For(kind, playbook);
            sb.AppendLine(CultureInfo.InvariantCulture, $"{n++}. **{t.Title}** ({kind}) — {Status(f)}{(f.Reason is null ? "" : $": {f.Reason}")}. {t.Risk}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"   Proposed language: “{t.Language}”");
        }
        return sb.ToString();
    }

    /// <summary>The same report as one self-contained HTML page (no scripts, no external resources); every value is encoded.</summary>
    public static string ToHtml(ContractAnalysis analysis, ClausePlaybook playbook)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(playbook);
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>Contract review: {E(analysis.File)}</title>");
        sb.Append("""
            <style>
            body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1d2433}
            table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #dde2ea;padding:.4rem .5rem;text-align:left;vertical-align:top}
            .status{font-weight:600;border-radius:4px;padding:0 .4rem}.present{background:#dcf5e3}.weak{background:#fff1c9}.contrary{background:#fcd9d9}.missing{background:#eceff4}
            blockquote{margin:.3rem 0 1rem;padding:.3rem .8rem;border-left:3px solid #6b7ccf;background:#f6f7fb}.warning{background:#fff1c9;padding:.5rem .8rem}
            </style></head><body>
            """);
        sb.Append(CultureInfo.InvariantCulture, $"<h1>Contract review: {E(analysis.File)}</h1><p>Score: <strong>{analysis.Score.ToString(CultureInfo.InvariantCulture)}/100</strong> (weighted by the playbook).</p>");
        if (analysis.Warning is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"warning\"><strong>Warning:</strong> {E(analysis.Warning)}.</p>");
        }
        sb.Append("<table><thead><tr><th>Clause</th><th>Status</th><th>Parameters</th><th>Evidence</th><th>Where</th><th>Note</th></tr></thead><tbody>");
        foreach (var kind in ClausePlaybook.Kinds)
        {
            var f = analysis.Clauses[kind];
            sb.Append(CultureInfo.InvariantCulture, $"<tr id=\"{kind}\"><td>{E(ClauseLibrary.All[kind].Title)}<br><small>{kind}</small></td><td><span class=\"status {Status(f)}\">{Status(f)}</span></td><td>{E(Params(f))}</td><td>{E(f.Evidence)}</td><td>{E(Where(f))}</td><td>{E(f.Reason ?? "")}</td></tr>");
        }
        sb.Append("</tbody></table><h2>Negotiation memo (highest risk first)</h2><ol>");
        foreach (var kind in Gaps(analysis, playbook))
        {
            var f = analysis.Clauses[kind];
            var t = ClauseLibrary.For(kind, playbook);
            sb.Append(CultureInfo.InvariantCulture, $"<li><strong>{E(t.Title)}</strong> ({kind}) — <span class=\"status {Status(f)}\">{Status(f)}</span>{(f.Reason is null ? "" : E(": " + f.Reason))}. {E(t.Risk)}<blockquote>{E(t.Language)}</blockquote></li>");
        }
        sb.Append("</ol></body></html>\n");
        return sb.ToString();
    }
}
