using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proviso.Clauses.Playbook;

namespace Proviso.Clauses.Analysis;

/// <summary>The `proviso scan` outputs: the JSON contract and a Markdown gap report.</summary>
public static class ScanOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Project-written model language for a missing or weak clause.</summary>
    public static readonly IReadOnlyDictionary<string, string> ModelLanguage = new Dictionary<string, string>
    {
        ["non-training"] = "Provider will not use Customer Data, Inputs or Outputs, in any form (including aggregated or de-identified), to train, fine-tune or otherwise improve any model.",
        ["data-ownership"] = "As between the parties, Customer owns all Inputs, Outputs and any data or models derived from them.",
        ["output-confidentiality"] = "Outputs and any data derived from Customer Data are Customer's Confidential Information.",
        ["data-residency"] = "Provider will store and process Customer Data only in the regions listed in the Order Form and will not transfer it elsewhere without Customer's prior written consent.",
        ["audit-rights"] = "Once a year, and after any Security Incident, Customer may audit Provider's compliance, including on-site, on 30 days' notice.",
        ["adaptive-compliance"] = "Provider will comply with changes in laws applicable to AI and data; if Provider cannot, Customer may terminate without penalty and receive a pro-rata refund.",
        ["security-certifications"] = "Provider will maintain SOC 2 Type II and ISO/IEC 27001 certifications and provide current reports on request.",
        ["data-flow-transparency"] = "Provider will document how and where Customer Data flows, including a current list of subprocessors and their processing locations.",
        ["subprocessor-changes"] = "Provider will give at least 30 days' notice of any new subprocessor; Customer may object within 30 days and terminate without penalty if the objection is not resolved.",
        ["breach-notification"] = "Provider will notify Customer of any Security Incident without undue delay and in any event within 72 hours of becoming aware of it.",
        ["deletion-on-termination"] = "Within 30 days after termination, Provider will delete all Customer Data, including copies in logs, backups and any fine-tuned models, and certify the deletion in writing.",
        ["bias-explainability"] = "Provider will conduct bias audits of AI features at least annually and provide explanations of AI-assisted decisions on request.",
        ["encryption"] = "Provider will encrypt Customer Data at rest (AES-256 or stronger) and in transit (TLS 1.2 or higher).",
        ["access-control"] = "Provider will restrict access to Customer Data to authorized personnel with a need to know, using role-based access and multi-factor authentication.",
        ["sla"] = "Provider will make the service available at least 99.9% of each month, with service credits for shortfalls.",
        ["regulatory-compliance"] = "Provider will comply with all data protection laws applicable to the services, including the GDPR, UK GDPR, CCPA/CPRA and the EU AI Act.",
    };

    public static JsonObject ToJson(ContractAnalysis analysis)
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
                ["status"] = f.Status.ToString().ToLowerInvariant(),
                ["params"] = p,
                ["evidence"] = f.Evidence,
                ["location"] = f.Location is null ? null : new JsonObject
                {
                    ["page"] = f.Location.Page,
                    ["section"] = f.Location.Section,
                    ["start"] = f.Location.Start,
                    ["end"] = f.Location.End,
                },
            };
        }
        return new JsonObject { ["file"] = analysis.File, ["score"] = analysis.Score, ["clauses"] = clauses };
    }

    public static string ToJsonArray(IEnumerable<ContractAnalysis> analyses) =>
        new JsonArray(analyses.Select(a => (JsonNode)ToJson(a)).ToArray()).ToJsonString(Json);

    /// <summary>A gap report: the checklist, then model language and a negotiation memo ordered by risk.</summary>
    public static string ToMarkdown(ContractAnalysis analysis, ClausePlaybook playbook)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(playbook);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# Contract review: {analysis.File}").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Score: **{analysis.Score}/100** (weighted by the playbook).").AppendLine();
        sb.AppendLine("| clause | status | parameters | evidence |").AppendLine("|---|---|---|---|");
        foreach (var kind in ClausePlaybook.Kinds)
        {
            var f = analysis.Clauses[kind];
            var p = string.Join(", ", f.Params.Select(x => $"{x.Key}={JsonSerializer.Serialize(x.Value)}"));
            var evidence = f.Evidence.Length > 160 ? f.Evidence[..157] + "…" : f.Evidence;
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {f.Status.ToString().ToLowerInvariant()} | {p} | {evidence.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }
        var gaps = ClausePlaybook.Kinds.Where(k => analysis.Clauses[k].Status != ClauseStatus.Present)
            .OrderByDescending(k => analysis.Clauses[k].Status == ClauseStatus.Contrary ? 2 : 1)
            .ThenByDescending(playbook.Weight).ToList();
        sb.AppendLine().AppendLine("## Negotiation memo (highest risk first)").AppendLine();
        var n = 1;
        foreach (var kind in gaps)
        {
            var f = analysis.Clauses[kind];
            sb.AppendLine(CultureInfo.InvariantCulture, $"{n++}. **{kind}** — {f.Status.ToString().ToLowerInvariant()}{(f.Reason is null ? "" : $": {f.Reason}")}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"   Proposed language: “{ModelLanguage[kind]}”");
        }
        return sb.ToString();
    }
}
