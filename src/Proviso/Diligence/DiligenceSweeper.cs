using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Vendors;

namespace Proviso.Diligence;

public sealed record AlertView(Guid Id, string Kind, Guid VendorId, string VendorName, Guid SubjectId, string Message, DateOnly? Due, DateTimeOffset CreatedAt);

/// <summary>
/// Raises time-driven alerts once each: certifications expiring (90/30/7 days by default) or expired,
/// assessments past their due date, vendors due or overdue for reassessment, register risks past due.
/// Runs hourly in the host; e-mails new alerts to <c>Proviso:Diligence:AlertEmail</c> when SMTP is set.
/// </summary>
public sealed class DiligenceSweeper(ProvisoDbContext db, TimeProvider time, IOptions<ProvisoOptions> options, RiskService risk, IEmailSender email)
{
    /// <summary>Days before an assessment's due date at which its contact is reminded once.</summary>
    public const int ContactReminderDays = 3;

    public async Task<IReadOnlyList<DiligenceAlert>> SweepAsync(CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var o = options.Value.Diligence;
        var existing = (await db.DiligenceAlerts.AsNoTracking().Select(a => new { a.Kind, a.SubjectId, a.Threshold }).ToListAsync(ct))
            .Select(a => (a.Kind, a.SubjectId, a.Threshold)).ToHashSet();
        var vendors = await db.Vendors.AsNoTracking().Where(v => !v.IsArchived).ToDictionaryAsync(v => v.Id, ct);
        var raised = new List<DiligenceAlert>();
        void Raise(string kind, Guid vendorId, Guid subject, int threshold, string message, DateOnly? due)
        {
            if (vendors.ContainsKey(vendorId) && existing.Add((kind, subject, threshold)))
            {
                raised.Add(new DiligenceAlert { Kind = kind, VendorId = vendorId, SubjectId = subject, Threshold = threshold, Message = message, Due = due, CreatedAt = time.GetUtcNow() });
            }
        }

        var thresholds = o.ExpiryAlertDays.Where(d => d >= 0).Order().ToArray();
        foreach (var e in await db.Evidence.AsNoTracking().Where(e => e.ExpiresOn != null).ToListAsync(ct))
        {
            var left = e.ExpiresOn!.Value.DayNumber - today.DayNumber;
            var vendor = vendors.GetValueOrDefault(e.VendorId)?.Name;
            if (left < 0)
            {
                Raise("evidence-expired", e.VendorId, e.Id, 0, $"{vendor}: {EvidenceService.Label(e.Kind)} \"{e.Title}\" expired on {e.ExpiresOn:yyyy-MM-dd}.", e.ExpiresOn);
            }
            else if (thresholds.FirstOrDefault(t => left <= t, -1) is var t && t >= 0)
            {
                // Only the nearest threshold crossed: a file uploaded with 5 days left raises one alert, not three.
                Raise("evidence-expiring", e.VendorId, e.Id, t, $"{vendor}: {EvidenceService.Label(e.Kind)} \"{e.Title}\" expires on {e.ExpiresOn:yyyy-MM-dd} ({left} day{(left == 1 ? "" : "s")} left).", e.ExpiresOn);
            }
        }

        var assessments = await db.Assessments.AsNoTracking().ToListAsync(ct);
        var reminders = new List<Assessment>();
        foreach (var a in assessments.Where(a => a.IsOpenForVendor && a.DueDate is { } d && d >= today && d.DayNumber - today.DayNumber <= ContactReminderDays))
        {
            var before = raised.Count;
            Raise("assessment-reminder", a.VendorId, a.Id, 0, $"{vendors.GetValueOrDefault(a.VendorId)?.Name}: \"{a.TemplateTitle}\" from {a.ContactEmail} is due {a.DueDate:yyyy-MM-dd}; the contact was reminded.", a.DueDate);
            if (raised.Count > before)
            {
                reminders.Add(a);
            }
        }
        foreach (var a in assessments.Where(a => AssessmentService.IsOverdue(a, today)))
        {
            Raise("assessment-overdue", a.VendorId, a.Id, 0, $"{vendors.GetValueOrDefault(a.VendorId)?.Name}: \"{a.TemplateTitle}\" from {a.ContactEmail} was due {a.DueDate:yyyy-MM-dd}.", a.DueDate);
        }

        foreach (var v in vendors.Values)
        {
            var last = assessments.Where(a => a.VendorId == v.Id && a.Status == AssessmentStatus.Accepted).OrderByDescending(a => a.AcceptedAt).FirstOrDefault();
            var open = assessments.Any(a => a.VendorId == v.Id && a.Status is not (AssessmentStatus.Accepted or AssessmentStatus.Cancelled));
            var next = risk.Next(v, last, today);
            if (next.DueDate is { } due && !open)
            {
                // Keyed by the due date, so each cycle alerts again.
                if (next.State == "overdue")
                {
                    Raise("reassessment-overdue", v.Id, v.Id, due.DayNumber, $"{v.Name}: assessment overdue since {due:yyyy-MM-dd}. {next.Reason}", due);
                }
                else if (next.State == "due-soon")
                {
                    Raise("reassessment-due", v.Id, v.Id, due.DayNumber, $"{v.Name}: assessment due on {due:yyyy-MM-dd}. {next.Reason}", due);
                }
            }
        }

        foreach (var r in await db.Risks.AsNoTracking().Where(r => r.Status != RiskItemStatus.Closed && r.DueDate != null).ToListAsync(ct))
        {
            if (r.DueDate < today)
            {
                Raise("risk-overdue", r.VendorId, r.Id, r.DueDate!.Value.DayNumber, $"{vendors.GetValueOrDefault(r.VendorId)?.Name}: risk \"{r.Title}\" (owner {r.Owner}) was due {r.DueDate:yyyy-MM-dd}.", r.DueDate);
            }
        }

        if (raised.Count == 0)
        {
            return raised;
        }
        db.DiligenceAlerts.AddRange(raised);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance raised the same alerts at the same moment; its copy stands.
            return [];
        }
        foreach (var a in reminders)
        {
            // The contact's own reminder; the link they hold still works until it expires (or they ask for a new one).
            await email.SendAsync(a.ContactEmail, $"Reminder: \"{a.TemplateTitle}\" is due {a.DueDate:yyyy-MM-dd}",
                $"Hello {a.ContactName},\n\nThis is a reminder that the \"{a.TemplateTitle}\" questionnaire is due on {a.DueDate:yyyy-MM-dd}. " +
                "Continue in the browser where you opened it, or ask the sender for a new link if yours has expired.\n", ct);
        }
        if (o.AlertEmail is { Length: > 0 } to && email.Enabled)
        {
            var sent = await email.SendAsync(to, $"Proviso: {raised.Count} new due-diligence alert{(raised.Count == 1 ? "" : "s")}",
                string.Join("\n", raised.Select(a => "- " + a.Message)), ct);
            if (sent)
            {
                foreach (var a in raised)
                {
                    a.Emailed = true;
                }
                await db.SaveChangesAsync(ct);
            }
        }
        return raised;
    }

    public async Task<IReadOnlyList<AlertView>> RecentAsync(int max = 50, CancellationToken ct = default)
    {
        var alerts = (await db.DiligenceAlerts.AsNoTracking().ToListAsync(ct)).OrderByDescending(a => a.CreatedAt).Take(Math.Clamp(max, 1, 500)).ToList();
        var ids = alerts.Select(a => a.VendorId).Distinct().ToList();
        var names = await db.Vendors.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        return alerts.Select(a => new AlertView(a.Id, a.Kind, a.VendorId, names.GetValueOrDefault(a.VendorId, "?"), a.SubjectId, a.Message, a.Due, a.CreatedAt)).ToList();
    }
}

/// <summary>Runs the sweep at start and then every <c>Proviso:Diligence:SweepMinutes</c> (0 turns it off).</summary>
internal sealed class DiligenceSweepService(IServiceScopeFactory scopes, TimeProvider time, IOptions<ProvisoOptions> options, ILogger<DiligenceSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = options.Value.Diligence.SweepMinutes;
        if (minutes <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<ProvisoDbContext>().Actor = "system";
                var raised = await scope.ServiceProvider.GetRequiredService<DiligenceSweeper>().SweepAsync(stoppingToken);
                if (raised.Count > 0)
                {
                    logger.LogInformation("Due diligence: {Count} new alerts", raised.Count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may still be migrating at first start; the next tick tries again.
                logger.LogWarning(ex, "Due-diligence sweep failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
