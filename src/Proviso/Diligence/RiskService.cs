using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Clauses.Analysis;
using Proviso.Data;
using Proviso.Diligence.Questionnaires;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Vendors;

namespace Proviso.Diligence;

/// <summary>One line of a risk explanation: what was considered, its effect in tiers (−1 lowers, +1 raises, 0 informs), and why.</summary>
public sealed record RiskLine(string Factor, int Effect, string Text);

public sealed record ResidualRisk(RiskTier Inherent, RiskTier Residual, IReadOnlyList<RiskLine> Lines, NextAssessment Next);

/// <summary>When the vendor is next due for an assessment, and whether that is soon or past.</summary>
public sealed record NextAssessment(DateOnly? DueDate, string State, string Reason);

public sealed record RiskItemInput(string? Title, string? Description, string? Severity, string? Owner, string? Treatment, string? Status,
    DateOnly? DueDate, string? Source, Guid? Version = null);

public sealed record RiskItemView(Guid Id, Guid VendorId, string Title, string? Description, Severity Severity, string Owner, RiskTreatment Treatment,
    RiskItemStatus Status, DateOnly? DueDate, bool Overdue, string? Source, Guid Version, DateTimeOffset CreatedAt, string? CreatedBy);

/// <summary>
/// Residual risk: the inherent tier, moved by what is known about the vendor's controls (accepted
/// questionnaire answers, current certifications, the reviewed contract) one explained line at a time;
/// the reassessment schedule that follows from it; and the risk register.
/// </summary>
public sealed class RiskService(ProvisoDbContext db, AuditTrail audit, TimeProvider time, IOptions<ProvisoOptions> options, Contracts.ContractReviewService contracts)
{
    /// <summary>Clause kinds whose absence or contrary wording weighs on residual risk.</summary>
    public static readonly IReadOnlySet<string> KeyClauses = new HashSet<string>(StringComparer.Ordinal)
    {
        "non-training", "data-ownership", "breach-notification", "deletion-on-termination", "data-residency", "subprocessor-changes",
    };

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<ResidualRisk?> ResidualAsync(Guid vendorId, CancellationToken ct = default)
    {
        var vendor = await db.Vendors.AsNoTracking().Include(v => v.Services).FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        if (vendor is null)
        {
            return null;
        }
        var today = Today;
        var inherent = RiskCalculator.ForVendor(vendor);
        var lines = inherent.Reasons.Select(r => new RiskLine("inherent", 0, r)).ToList();
        lines.Insert(0, new RiskLine("inherent", 0, $"Inherent risk is {Taxonomy.Key(inherent.Tier)}, from the data shared and how critical the services are:"));

        var assessments = await db.Assessments.AsNoTracking().Where(a => a.VendorId == vendorId).ToListAsync(ct);
        var accepted = assessments.Where(a => a.Status == AssessmentStatus.Accepted).OrderByDescending(a => a.AcceptedAt).FirstOrDefault();
        if (accepted is null)
        {
            lines.Add(new RiskLine("questionnaire", +1, "No accepted questionnaire: the vendor's controls are unknown."));
            if (assessments.Any(a => a.Status == AssessmentStatus.Submitted))
            {
                lines.Add(new RiskLine("questionnaire", 0, "A submitted questionnaire awaits review; it counts once accepted."));
            }
        }
        else
        {
            var evaluation = AssessmentService.Compile(accepted).Evaluate(AssessmentService.Answers(accepted), today);
            var critical = evaluation.Findings.Where(f => f.Severity == Severity.Critical).ToList();
            var high = evaluation.Findings.Where(f => f.Severity == Severity.High).ToList();
            var when = accepted.AcceptedAt!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (critical.Count > 0)
            {
                lines.Add(new RiskLine("questionnaire", +2, $"Critical findings in the questionnaire accepted {when}: {string.Join("; ", critical.Select(f => f.Name))}."));
            }
            if (high.Count > 0)
            {
                lines.Add(new RiskLine("questionnaire", +1, $"High findings in the questionnaire accepted {when}: {string.Join("; ", high.Select(f => f.Name))}."));
            }
            if (critical.Count == 0 && high.Count == 0 && (accepted.Score ?? evaluation.Score) is >= 80 and var score)
            {
                lines.Add(new RiskLine("questionnaire", -1, $"Strong questionnaire answers (score {score:0.#}, no high findings), accepted {when}."));
            }
            else if (critical.Count == 0 && high.Count == 0)
            {
                lines.Add(new RiskLine("questionnaire", 0, $"Questionnaire accepted {when} with score {(accepted.Score ?? evaluation.Score)?.ToString("0.#", CultureInfo.InvariantCulture) ?? "n/a"}: no credit below 80."));
            }
        }

        var evidence = await db.Evidence.AsNoTracking().Where(e => e.VendorId == vendorId
            && (e.Kind == EvidenceKind.Soc2Type2 || e.Kind == EvidenceKind.Iso27001)).ToListAsync(ct);
        var current = evidence.Where(e => e.ExpiresOn is null || e.ExpiresOn >= today).OrderByDescending(e => e.ExpiresOn).FirstOrDefault();
        if (current is not null)
        {
            lines.Add(new RiskLine("evidence", -1, $"Current {EvidenceService.Label(current.Kind)}{(current.Issuer is null ? "" : $" from {current.Issuer}")}" +
                (current.ExpiresOn is { } x ? $", valid until {x:yyyy-MM-dd}." : ".")));
        }
        foreach (var expired in evidence.Where(e => e.ExpiresOn < today))
        {
            lines.Add(new RiskLine("evidence", 0, $"{EvidenceService.Label(expired.Kind)} expired on {expired.ExpiresOn:yyyy-MM-dd}: no credit."));
        }
        if (evidence.Count == 0)
        {
            lines.Add(new RiskLine("evidence", 0, "No SOC 2 Type II report or ISO 27001 certificate on file."));
        }

        var reviews = await contracts.ListAsync(vendorId, ct);
        var review = reviews.Count > 0 ? reviews[0] : null;
        if (review is null)
        {
            lines.Add(new RiskLine("contract", 0, "No contract reviewed yet."));
        }
        else if (await contracts.GetAsync(review.Id, ct) is { } details)
        {
            var bad = details.Clauses.Where(c => KeyClauses.Contains(c.Kind) && c.Status is ClauseStatus.Contrary or ClauseStatus.Missing).ToList();
            if (bad.Count > 0)
            {
                lines.Add(new RiskLine("contract", +1, $"Contract {details.FileName}: key terms missing or contrary: {string.Join(", ", bad.Select(c => $"{c.Title} ({ClauseStatuses.Key(c.Status)})"))}."));
            }
            else
            {
                lines.Add(new RiskLine("contract", -1, $"Contract {details.FileName} holds every key term (score {details.Score:0.#})."));
            }
        }

        var openRisks = await db.Risks.AsNoTracking().Where(r => r.VendorId == vendorId && r.Status != RiskItemStatus.Closed).ToListAsync(ct);
        if (openRisks.Count > 0)
        {
            var overdue = openRisks.Count(r => r.DueDate < today);
            lines.Add(new RiskLine("register", 0, $"{openRisks.Count} open risk register entr{(openRisks.Count == 1 ? "y" : "ies")}{(overdue > 0 ? $", {overdue} past due" : "")}."));
        }

        var residual = (RiskTier)Math.Clamp((int)inherent.Tier + lines.Sum(l => l.Effect), (int)RiskTier.Low, (int)RiskTier.Critical);
        return new ResidualRisk(inherent.Tier, residual, lines, Next(vendor, accepted, today));
    }

    /// <summary>
    /// The next assessment: the last accepted one plus the interval of the vendor's risk tier (the inherent
    /// tier kept on the vendor, so lists and the dashboard agree without recomputing); a vendor never
    /// assessed is due 30 days after it was added.
    /// </summary>
    internal NextAssessment Next(Vendor vendor, Assessment? lastAccepted, DateOnly today)
    {
        if (vendor.IsArchived || vendor.Status is VendorStatus.Rejected or VendorStatus.Terminated or VendorStatus.Offboarding)
        {
            return new NextAssessment(null, "none", "Not scheduled: the vendor is not in use.");
        }
        var tier = vendor.RiskTier;
        var months = options.Value.Diligence.ReassessMonths.GetValueOrDefault(tier.ToString(), 12);
        DateOnly due;
        string reason;
        if (lastAccepted?.AcceptedAt is { } at)
        {
            due = DateOnly.FromDateTime(at.UtcDateTime).AddMonths(months);
            reason = $"Every {months} months at {Taxonomy.Key(tier)} risk; last accepted {at:yyyy-MM-dd}.";
        }
        else
        {
            due = DateOnly.FromDateTime(vendor.CreatedAt.UtcDateTime).AddDays(30);
            reason = "Never assessed: due 30 days after the vendor was added.";
        }
        var left = due.DayNumber - today.DayNumber;
        var state = left < 0 ? "overdue" : left <= options.Value.Diligence.ReminderDays ? "due-soon" : "scheduled";
        return new NextAssessment(due, state, reason);
    }

    public async Task<IReadOnlyList<RiskItemView>> RegisterAsync(Guid? vendorId = null, CancellationToken ct = default)
    {
        var q = db.Risks.AsNoTracking();
        if (vendorId is { } v)
        {
            q = q.Where(r => r.VendorId == v);
        }
        var today = Today;
        return (await q.ToListAsync(ct)).OrderBy(r => r.Status).ThenByDescending(r => r.Severity).ThenBy(r => r.DueDate ?? DateOnly.MaxValue)
            .Select(r => View(r, today)).ToList();
    }

    public async Task<Outcome<RiskItemView>> SaveRiskAsync(Guid vendorId, Guid? id, RiskItemInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == vendorId).Select(v => v.Name).FirstOrDefaultAsync(ct);
        if (vendor is null)
        {
            return Outcome<RiskItemView>.NotFound($"Vendor {vendorId} does not exist.");
        }
        RiskItem? row;
        if (id is { } existing)
        {
            row = await db.Risks.FirstOrDefaultAsync(r => r.Id == existing && r.VendorId == vendorId, ct);
            if (row is null)
            {
                return Outcome<RiskItemView>.NotFound($"Risk {existing} does not exist for this vendor.");
            }
            if (input.Version is { } version && version != row.Version)
            {
                return Outcome<RiskItemView>.Conflict("Someone else changed this risk since you opened it. Reload and apply your change again.");
            }
        }
        else
        {
            row = new RiskItem { VendorId = vendorId };
        }
        var errors = new ValidationErrors();
        row.Title = errors.Text("title", input.Title, RiskItem.TitleMax, required: true, label: "Title") ?? "";
        row.Description = errors.Text("description", input.Description, RiskItem.DescriptionMax, label: "Description");
        row.Owner = errors.Text("owner", input.Owner, 200, required: true, label: "Owner") ?? "";
        row.Source = errors.Text("source", input.Source, 200, label: "Source") ?? row.Source;
        row.DueDate = input.DueDate;
        Parse(errors, "severity", input.Severity, row.Severity, v => row.Severity = v);
        Parse(errors, "treatment", input.Treatment, row.Treatment, v => row.Treatment = v);
        Parse(errors, "status", input.Status, row.Status, v => row.Status = v);
        if (row.Status != RiskItemStatus.Closed && row.Treatment != RiskTreatment.Accept && row.DueDate is null)
        {
            errors.Add("dueDate", "An open risk being mitigated, transferred or avoided needs a due date.");
        }
        if (errors.Any)
        {
            return Outcome<RiskItemView>.Invalid(errors.ToDictionary());
        }
        row.Version = Guid.NewGuid();
        if (id is null)
        {
            db.Add(row);
        }
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(id is null ? "risk.added" : "risk.updated", "risk", row.Id.ToString(), vendor, new Dictionary<string, object?>
        {
            ["title"] = row.Title, ["severity"] = Taxonomy.Key(row.Severity), ["treatment"] = Taxonomy.Key(row.Treatment),
            ["status"] = Taxonomy.Key(row.Status), ["owner"] = row.Owner,
            ["due"] = row.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, ct);
        return Outcome<RiskItemView>.Ok(View(row, Today));
    }

    private static void Parse<T>(ValidationErrors errors, string field, string? text, T current, Action<T> set) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            set(current);
            return;
        }
        var norm = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (Enum.TryParse<T>(norm, true, out var value) && Enum.IsDefined(value))
        {
            set(value);
        }
        else
        {
            errors.Add(field, $"'{text}' is not a {field}; use {string.Join(", ", Enum.GetValues<T>().Select(Taxonomy.Key))}.");
        }
    }

    private static RiskItemView View(RiskItem r, DateOnly today) =>
        new(r.Id, r.VendorId, r.Title, r.Description, r.Severity, r.Owner, r.Treatment, r.Status, r.DueDate,
            r.Status != RiskItemStatus.Closed && r.DueDate < today, r.Source, r.Version, r.CreatedAt, r.CreatedBy);
}
