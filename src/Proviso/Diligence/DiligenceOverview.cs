using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Vendors;

namespace Proviso.Diligence;

public sealed record ScheduleRow(Guid VendorId, string VendorName, RiskTier Tier, DateOnly DueDate, string State, string Reason);

public sealed record ExpiringEvidence(EvidenceSummary Evidence, string VendorName);

/// <summary>What the dashboard shows: vendors by tier and status, assessments due and overdue, reassessments, certifications expiring, alerts.</summary>
public sealed record DiligenceOverviewView(
    IReadOnlyDictionary<string, int> ByTier, IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyList<AssessmentSummary> OpenAssessments, int AssessmentsOverdue, int AwaitingReview,
    IReadOnlyList<ScheduleRow> Reassessments, IReadOnlyList<ExpiringEvidence> Expiring, IReadOnlyList<AlertView> Alerts);

public sealed class DiligenceOverview(ProvisoDbContext db, TimeProvider time, RiskService risk, DiligenceSweeper sweeper)
{
    public async Task<DiligenceOverviewView> GetAsync(CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var vendors = await db.Vendors.AsNoTracking().Where(v => !v.IsArchived).ToListAsync(ct);
        var names = vendors.ToDictionary(v => v.Id, v => v.Name);
        var byTier = Enum.GetValues<RiskTier>().ToDictionary(Taxonomy.Key, t => vendors.Count(v => v.RiskTier == t));
        var byStatus = Enum.GetValues<VendorStatus>().ToDictionary(Taxonomy.Key, s => vendors.Count(v => v.Status == s));
        var assessments = (await db.Assessments.AsNoTracking().ToListAsync(ct)).Where(a => names.ContainsKey(a.VendorId)).ToList();
        var open = assessments.Where(a => a.IsOpenForVendor || a.Status == AssessmentStatus.Submitted)
            .Select(a => AssessmentService.Summary(a, names[a.VendorId], today))
            .OrderByDescending(a => a.Overdue).ThenBy(a => a.DueDate ?? DateOnly.MaxValue).ToList();
        var schedule = new List<ScheduleRow>();
        foreach (var v in vendors)
        {
            var last = assessments.Where(a => a.VendorId == v.Id && a.Status == AssessmentStatus.Accepted).OrderByDescending(a => a.AcceptedAt).FirstOrDefault();
            // A vendor with an assessment already under way is listed with that assessment, not again as due.
            var underWay = assessments.Any(a => a.VendorId == v.Id && a.Status is not (AssessmentStatus.Accepted or AssessmentStatus.Cancelled));
            if (!underWay && risk.Next(v, last, today) is { DueDate: { } due } next && next.State is "overdue" or "due-soon")
            {
                schedule.Add(new ScheduleRow(v.Id, v.Name, v.RiskTier, due, next.State, next.Reason));
            }
        }
        var horizon = today.AddDays(EvidenceService.ExpiringDays);
        var expiring = (await db.Evidence.AsNoTracking().Where(e => e.ExpiresOn != null && e.ExpiresOn <= horizon).ToListAsync(ct))
            .Where(e => names.ContainsKey(e.VendorId)).OrderBy(e => e.ExpiresOn)
            .Select(e => new ExpiringEvidence(EvidenceService.Summary(e, today), names[e.VendorId])).ToList();
        return new DiligenceOverviewView(byTier, byStatus, open, open.Count(a => a.Overdue), open.Count(a => a.Status == AssessmentStatus.Submitted),
            schedule.OrderBy(s => s.DueDate).ToList(), expiring, await sweeper.RecentAsync(20, ct));
    }
}

/// <summary>The vendor's due-diligence file as one self-contained HTML page (data-flow SVG inlined) or JSON.</summary>
public sealed class DiligenceReport(ProvisoDbContext db, RiskService risk, AssessmentService assessments, EvidenceService evidence,
    DecisionService decisions, DataFlowService flows)
{
    public sealed record Report(string Vendor, ResidualRisk Risk, IReadOnlyList<AssessmentSummary> Assessments, IReadOnlyList<EvidenceSummary> Evidence,
        IReadOnlyList<DecisionView> Decisions, IReadOnlyList<RiskItemView> Register, IReadOnlyList<DataFlowView> Flows, string DataFlowSvg);

    public async Task<Report?> BuildAsync(Guid vendorId, CancellationToken ct = default)
    {
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == vendorId).Select(v => v.Name).FirstOrDefaultAsync(ct);
        if (vendor is null || await risk.ResidualAsync(vendorId, ct) is not { } residual)
        {
            return null;
        }
        return new Report(vendor, residual, await assessments.ListAsync(vendorId, ct), await evidence.ListAsync(vendorId, ct),
            await decisions.ListAsync(vendorId, ct), await risk.RegisterAsync(vendorId, ct), await flows.ListAsync(vendorId, ct),
            (await flows.SvgAsync(vendorId, ct))!);
    }

    public static string Html(Report r)
    {
        ArgumentNullException.ThrowIfNull(r);
        static string E(object? o) => WebUtility.HtmlEncode(Convert.ToString(o, CultureInfo.InvariantCulture) ?? "");
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Due diligence: {E(r.Vendor)}</title>");
        sb.Append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}.up{color:#b71c1c}.down{color:#1b5e20}</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>Due diligence: {E(r.Vendor)}</h1>");
        sb.Append(CultureInfo.InvariantCulture, $"<h2>Risk</h2><p>Inherent <b>{E(Taxonomy.Key(r.Risk.Inherent))}</b>, residual <b>{E(Taxonomy.Key(r.Risk.Residual))}</b>. Next assessment: {E(r.Risk.Next.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "not scheduled")} ({E(r.Risk.Next.State)}).</p><table><tr><th>Factor</th><th>Effect</th><th>Why</th></tr>");
        foreach (var l in r.Risk.Lines)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(l.Factor)}</td><td class=\"{(l.Effect > 0 ? "up" : l.Effect < 0 ? "down" : "")}\">{(l.Effect > 0 ? "+" : "")}{l.Effect}</td><td>{E(l.Text)}</td></tr>");
        }
        sb.Append("</table><h2>Data flows</h2>").Append(r.DataFlowSvg);
        sb.Append("<h2>Assessments</h2><table><tr><th>Questionnaire</th><th>Contact</th><th>Status</th><th>Score</th><th>High findings</th><th>Due</th></tr>");
        foreach (var a in r.Assessments)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(a.Title)}</td><td>{E(a.ContactEmail)}</td><td>{E(AssessmentService.Key(a.Status))}</td><td>{E(a.Score?.ToString("0.#", CultureInfo.InvariantCulture))}</td><td>{a.HighFindings}</td><td>{E(a.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}</td></tr>");
        }
        sb.Append("</table><h2>Evidence</h2><table><tr><th>Kind</th><th>Title</th><th>Issuer</th><th>Expires</th><th>SHA-256</th></tr>");
        foreach (var e in r.Evidence)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(EvidenceService.Label(e.Kind))}</td><td>{E(e.Title)}</td><td>{E(e.Issuer)}</td><td>{E(e.ExpiresOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))} ({E(e.ExpiryState)})</td><td><code>{E(e.Sha256)}</code></td></tr>");
        }
        sb.Append("</table><h2>Risk register</h2><table><tr><th>Risk</th><th>Severity</th><th>Owner</th><th>Treatment</th><th>Status</th><th>Due</th></tr>");
        foreach (var x in r.Register)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(x.Title)}</td><td>{E(Taxonomy.Key(x.Severity))}</td><td>{E(x.Owner)}</td><td>{E(Taxonomy.Key(x.Treatment))}</td><td>{E(Taxonomy.Key(x.Status))}{(x.Overdue ? " (overdue)" : "")}</td><td>{E(x.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}</td></tr>");
        }
        sb.Append("</table><h2>Decisions</h2><table><tr><th>Outcome</th><th>Status</th><th>Sign-offs</th><th>Conditions / rationale</th></tr>");
        foreach (var d in r.Decisions)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(Taxonomy.Key(d.Outcome))}</td><td>{E(Taxonomy.Key(d.Status))}</td><td>{string.Join("<br>", d.SignOffs.Select(s => E($"{s.Function}: {(s.Agree ? "agreed" : "objected")} by {s.By} {s.At:yyyy-MM-dd}")))}</td><td>{E(d.Conditions ?? d.Rationale)}</td></tr>");
        }
        sb.Append("</table></body></html>");
        return sb.ToString();
    }
}
