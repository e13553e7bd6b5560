using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger;

namespace Proviso.Contracts;

/// <summary>A reviewer's decision on one finding: accepted as found, or overridden with another status and a reason.</summary>
public sealed record ClauseDecision(string Action, ClauseStatus Status, string? Note, string? By, DateTimeOffset At);

/// <summary>What a reviewer sends to decide a finding.</summary>
public sealed record DecisionInput(string? Action, string? Status, string? Note);

/// <summary>One clause of a review as shown to a reviewer.</summary>
public sealed record ReviewedClause(
    string Kind, string Title, ClauseStatus Status, ClauseStatus EngineStatus, IReadOnlyDictionary<string, object?> Params,
    string Evidence, int? Page, string? Section, int? Start, int? End, string? Reason, ClauseDecision? Decision);

public sealed record ContractReviewSummary(Guid Id, Guid VendorId, string FileName, double Score, DateTimeOffset UploadedAt, string? UploadedBy);

public sealed record ContractReviewDetails(
    Guid Id, Guid VendorId, string VendorName, string FileName, string Sha256, double Score, string? Warning,
    DateTimeOffset UploadedAt, string? UploadedBy, string Text, IReadOnlyList<ReviewedClause> Clauses);

/// <summary>Contracts uploaded to vendors: analysis by the clause engine, reviewer decisions, reports; every step in the ledger.</summary>
public sealed class ContractReviewService(ProvisoDbContext db, AuditTrail audit, TimeProvider time, ClausePlaybook playbook)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    /// <summary>The organization's playbook: the shipped default with its overrides laid over.</summary>
    public ClausePlaybook Playbook => playbook;

    public async Task<Outcome<ContractReviewDetails>> UploadAsync(Guid vendorId, string fileName, byte[] content, CancellationToken ct = default)
    {
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        if (vendor is null)
        {
            return Outcome<ContractReviewDetails>.NotFound($"Vendor {vendorId} does not exist.");
        }
        var name = Path.GetFileName(fileName ?? "");
        if (name.Length is 0 or > ContractReview.FileNameMax)
        {
            return Invalid("file", $"The file needs a name of 1 to {ContractReview.FileNameMax} characters.");
        }
        ContractDocument doc;
        ContractAnalysis analysis;
        try
        {
            doc = DocumentReader.Read(new MemoryStream(content), name);
            analysis = new ClauseAnalyzer(playbook).Analyze(doc);
        }
        catch (DocumentReadException ex)
        {
            return Invalid("file", $"{name}: {ex.Message}");
        }
        var review = new ContractReview
        {
            VendorId = vendorId, FileName = name, Content = content, Score = analysis.Score,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        };
        db.Add(review);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("contract.reviewed", "contract", review.Id.ToString(), vendor.Name, new Dictionary<string, object?>
        {
            ["file"] = name, ["sha256"] = review.Sha256, ["score"] = analysis.Score.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
            ["statuses"] = ClausePlaybook.Kinds.ToDictionary(k => k, k => (object?)Key(analysis.Clauses[k].Status)),
        }, ct);
        return Outcome<ContractReviewDetails>.Ok(Details(review, vendor.Name, doc, analysis, []));
    }

    public async Task<IReadOnlyList<ContractReviewSummary>> ListAsync(Guid vendorId, CancellationToken ct = default) =>
        (await db.Set<ContractReview>().AsNoTracking().Where(r => r.VendorId == vendorId)
            .Select(r => new ContractReviewSummary(r.Id, r.VendorId, r.FileName, r.Score, r.CreatedAt, r.CreatedBy)).ToListAsync(ct))
        .OrderByDescending(r => r.UploadedAt).ToList();

    public async Task<ContractReviewDetails?> GetAsync(Guid id, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(id, ct);
        if (loaded is null)
        {
            return null;
        }
        var (review, vendorName, doc, analysis, decisions) = loaded.Value;
        return Details(review, vendorName, doc, analysis, decisions);
    }

    private ContractReviewDetails Details(ContractReview review, string vendorName, ContractDocument doc, ContractAnalysis analysis, Dictionary<string, ClauseDecision> decisions)
    {
        var clauses = ClausePlaybook.Kinds.Select(k =>
        {
            var f = analysis.Clauses[k];
            decisions.TryGetValue(k, out var d);
            return new ReviewedClause(k, ClauseLibrary.All[k].Title, d?.Status ?? f.Status, f.Status, f.Params, f.Evidence,
                f.Location?.Page, f.Location?.Section, f.Location?.Start, f.Location?.End, f.Reason, d);
        }).ToList();
        return new ContractReviewDetails(review.Id, review.VendorId, vendorName, review.FileName, review.Sha256, Rescore(analysis, decisions).Score,
            analysis.Warning, review.CreatedAt, review.CreatedBy, doc.Text, clauses);
    }

    /// <summary>Accept a finding as found, or override its status with a reason. Kept on the review and recorded in the ledger.</summary>
    public async Task<Outcome<ContractReviewDetails>> DecideAsync(Guid id, string kind, DecisionInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var loaded = await LoadAsync(id, ct);
        if (loaded is null)
        {
            return Outcome<ContractReviewDetails>.NotFound($"Contract review {id} does not exist.");
        }
        var (review, vendorName, doc, analysis, decisions) = loaded.Value;
        if (!ClausePlaybook.Kinds.Contains(kind))
        {
            return Invalid("kind", $"Unknown clause kind '{kind}'. Known: {string.Join(", ", ClausePlaybook.Kinds)}.");
        }
        var engine = analysis.Clauses[kind].Status;
        ClauseDecision decision;
        switch (input.Action?.Trim().ToLowerInvariant())
        {
            case "accept":
                decision = new ClauseDecision("accept", engine, Clean(input.Note), db.Actor, time.GetUtcNow());
                break;
            case "override":
                if (!ClauseStatuses.TryParse(input.Status, out var status))
                {
                    return Invalid("status", "An override needs a status: present, weak, contrary or missing.");
                }
                if (string.IsNullOrWhiteSpace(input.Note))
                {
                    return Invalid("note", "Say why the finding is overridden; the reason is kept with the decision.");
                }
                decision = new ClauseDecision("override", status, Clean(input.Note), db.Actor, time.GetUtcNow());
                break;
            default:
                return Invalid("action", "The action is 'accept' or 'override'.");
        }
        var previous = decisions.GetValueOrDefault(kind);
        decisions[kind] = decision;
        var tracked = await db.Set<ContractReview>().FirstAsync(r => r.Id == review.Id, ct);
        tracked.DecisionsJson = JsonSerializer.Serialize(decisions, Json);
        tracked.Score = Rescore(analysis, decisions).Score;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(decision.Action == "accept" ? "contract.finding.accepted" : "contract.finding.overridden", "contract", review.Id.ToString(), vendorName,
            new Dictionary<string, object?>
            {
                ["kind"] = kind, ["engine_status"] = Key(engine), ["previous_status"] = Key(previous?.Status ?? engine),
                ["status"] = Key(decision.Status), ["note"] = decision.Note,
            }, ct);
        return Outcome<ContractReviewDetails>.Ok(Details(review, vendorName, doc, analysis, decisions));
    }

    /// <summary>The gap report with the reviewer's decisions applied, as Markdown or HTML.</summary>
    public async Task<(string FileName, string ContentType, string Body)?> ReportAsync(Guid id, string format, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(id, ct);
        if (loaded is null)
        {
            return null;
        }
        var (review, _, _, analysis, decisions) = loaded.Value;
        var reviewed = Rescore(analysis, decisions);
        var stem = Path.GetFileNameWithoutExtension(review.FileName);
        return format == "html"
            ? ($"{stem}.review.html", "text/html; charset=utf-8", ScanOutput.ToHtml(reviewed, Playbook))
            : ($"{stem}.review.md", "text/markdown; charset=utf-8", ScanOutput.ToMarkdown(reviewed, Playbook));
    }

    private async Task<(ContractReview Review, string VendorName, ContractDocument Doc, ContractAnalysis Analysis, Dictionary<string, ClauseDecision> Decisions)?> LoadAsync(Guid id, CancellationToken ct)
    {
        var row = await db.Set<ContractReview>().AsNoTracking()
            .Join(db.Vendors.AsNoTracking(), r => r.VendorId, v => v.Id, (r, v) => new { Review = r, v.Name })
            .FirstOrDefaultAsync(x => x.Review.Id == id, ct);
        if (row is null)
        {
            return null;
        }
        var (doc, analysis) = Analyzed(row.Review);
        var decisions = JsonSerializer.Deserialize<Dictionary<string, ClauseDecision>>(row.Review.DecisionsJson, Json) ?? [];
        return (row.Review, row.Name, doc, analysis, decisions);
    }

    // Reading a PDF and analyzing it costs tens to hundreds of milliseconds, and the vendor page asks for the latest
    // review's analysis on every render: results are kept per playbook and file content (the same bytes and playbook
    // always give the same analysis). Bounded; cleared whole when full.
    private static readonly ConditionalWeakTable<ClausePlaybook, System.Collections.Concurrent.ConcurrentDictionary<string, (ContractDocument Doc, ContractAnalysis Analysis)>> Analyses = new();
    private const int MaxCachedAnalyses = 64;

    private (ContractDocument Doc, ContractAnalysis Analysis) Analyzed(ContractReview review)
    {
        var cache = Analyses.GetValue(Playbook, _ => new(StringComparer.Ordinal));
        var key = review.Sha256 + "|" + review.FileName;
        if (cache.TryGetValue(key, out var hit))
        {
            return hit;
        }
        var doc = DocumentReader.Read(new MemoryStream(review.Content), review.FileName);
        var result = (doc, new ClauseAnalyzer(Playbook).Analyze(doc));
        if (cache.Count >= MaxCachedAnalyses)
        {
            cache.Clear();
        }
        cache[key] = result;
        return result;
    }

    /// <summary>The analysis with decided statuses in place of the engine's, and the score recomputed from them.</summary>
    private ContractAnalysis Rescore(ContractAnalysis analysis, Dictionary<string, ClauseDecision> decisions)
    {
        var clauses = analysis.Clauses.ToDictionary(c => c.Key, c => decisions.TryGetValue(c.Key, out var d) && d.Status != c.Value.Status
            ? c.Value with { Status = d.Status, Reason = $"Reviewer override ({d.By ?? "unknown"}): {d.Note}" }
            : c.Value, StringComparer.Ordinal);
        return analysis with { Clauses = clauses, Score = ClauseAnalyzer.Score(clauses, Playbook) };
    }

    private static string Key(ClauseStatus s) => s.Key();

    private static string? Clean(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim() is var t && t.Length > 2000 ? t[..2000] : t;

    private static Outcome<ContractReviewDetails> Invalid(string field, string message) =>
        Outcome<ContractReviewDetails>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
