using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Diligence.Questionnaires;
using Proviso.Hosting;
using Proviso.Ledger;

namespace Proviso.Diligence;

/// <summary>What the portal answers: a value, or an HTTP status with a sentence a vendor contact can act on.</summary>
public sealed record PortalResult<T>(int Status, T? Value, string? Message = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool IsOk => Status is >= 200 and < 300;

    public static PortalResult<T> Ok(T value) => new(200, value);
    public static PortalResult<T> Fail(int status, string message, IReadOnlyDictionary<string, string[]>? errors = null) => new(status, default, message, errors);
    public PortalResult<TOther> Cast<TOther>() => new(Status, default, Message, Errors);
}

public sealed record PortalSession(string Token, Guid AssessmentId, DateTimeOffset ExpiresAt);

public sealed record SaveAnswersInput(Dictionary<string, Answer>? Answers);

public sealed record PortalCommentInput(string? Text, string? QuestionId);

/// <summary>
/// The vendor contact's side: a single-use link is exchanged once for a browser session bound to one
/// assessment; with it the contact reads, saves drafts, uploads evidence, replies and submits. Links
/// that are forged, used, replaced or expired, and sessions aimed at another assessment, are refused.
/// </summary>
public sealed class PortalService(ProvisoDbContext db, AuditTrail audit, TimeProvider time, EvidenceService evidence, IEmailSender email,
    Microsoft.Extensions.Options.IOptions<ProvisoOptions> options, ILogger<PortalService> logger)
{
    public const string CookieName = "proviso_portal";

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>Checks a link without using it (what the landing page shows before the contact continues).</summary>
    public async Task<PortalResult<string>> PeekAsync(string token, CancellationToken ct = default)
    {
        var (link, problem) = await FindLinkAsync(token, ct);
        if (link is null)
        {
            return problem!;
        }
        var a = await db.Assessments.AsNoTracking().FirstAsync(x => x.Id == link.AssessmentId, ct);
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == a.VendorId).Select(v => v.Name).FirstAsync(ct);
        return PortalResult<string>.Ok($"{a.TemplateTitle} for {vendor}");
    }

    /// <summary>Uses a link: from now on only the returned session opens the assessment, and the link itself never works again.</summary>
    public async Task<PortalResult<PortalSession>> RedeemAsync(string token, CancellationToken ct = default)
    {
        var (link, problem) = await FindLinkAsync(token, ct);
        if (link is null)
        {
            if (problem!.Status == 410 && problem.Message!.Contains("already been used", StringComparison.Ordinal))
            {
                var used = await db.PortalLinks.AsNoTracking().FirstAsync(l => l.TokenHash == AssessmentService.Hash(token), ct);
                await LogAsync("portal.link-replayed", used.AssessmentId, null, ct);
            }
            return problem.Cast<PortalSession>();
        }
        var session = AssessmentService.Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var sessionHash = AssessmentService.Hash(session);
        // One statement, guarded by "not used yet": of two browsers pressing Continue at once, exactly one wins.
        var won = await db.PortalLinks.Where(l => l.Id == link.Id && l.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.UsedAt, now).SetProperty(l => l.SessionHash, sessionHash), ct);
        if (won == 0)
        {
            return PortalResult<PortalSession>.Fail(410, "This link has already been used. Links work once; continue in the browser where you first opened it, or ask the sender for a new one.");
        }
        db.Actor = $"vendor contact {link.Email}";
        await LogAsync("portal.link-used", link.AssessmentId, null, ct);
        return PortalResult<PortalSession>.Ok(new PortalSession(session, link.AssessmentId, link.ExpiresAt));
    }

    public async Task<PortalResult<AssessmentView>> GetAsync(string? session, Guid id, CancellationToken ct = default)
    {
        var (a, problem) = await AccessAsync(session, id, write: false, ct);
        return a is null ? problem!.Cast<AssessmentView>() : PortalResult<AssessmentView>.Ok((await AssessmentService.ViewAsync(db, a, true, Today, ct))!);
    }

    /// <summary>Saves draft answers (given answers replace earlier ones; an empty answer clears one). All or nothing: one bad answer saves none.</summary>
    public async Task<PortalResult<AssessmentView>> SaveAsync(string? session, Guid id, SaveAnswersInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (a, problem) = await AccessAsync(session, id, write: true, ct);
        if (a is null)
        {
            return problem!.Cast<AssessmentView>();
        }
        if (input.Answers is null || input.Answers.Count == 0)
        {
            return PortalResult<AssessmentView>.Fail(400, "Send the answers to save as {\"answers\": {\"question_id\": {\"value\": …}}}.");
        }
        var merged = AssessmentService.Answers(a);
        foreach (var (qid, answer) in input.Answers)
        {
            if (answer is null || (answer.IsEmpty && string.IsNullOrWhiteSpace(answer.Comment)))
            {
                merged.Remove(qid);
            }
            else
            {
                merged[qid] = answer with { Value = answer.Value?.Trim(), Values = answer.Values?.Distinct(StringComparer.Ordinal).ToList() };
            }
        }
        var compiled = AssessmentService.Compile(a);
        var evaluation = compiled.Evaluate(merged, Today);
        var errors = evaluation.Errors.Where(e => input.Answers.ContainsKey(e.Key)).ToDictionary(e => e.Key, e => e.Value);
        await CheckFilesAsync(a, compiled, input.Answers, errors, ct);
        if (errors.Count > 0)
        {
            return PortalResult<AssessmentView>.Fail(400, "Some answers were not accepted; nothing was saved.", errors);
        }
        a.AnswersJson = JsonSerializer.Serialize(merged, AssessmentService.AnswerJson);
        if (a.Status == AssessmentStatus.Sent)
        {
            a.Status = AssessmentStatus.InProgress;
        }
        a.Version = Guid.NewGuid();
        if (await ConflictAsync(ct) is { } conflict)
        {
            return conflict.Cast<AssessmentView>();
        }
        await LogAsync("assessment.draft-saved", a.Id, new Dictionary<string, object?> { ["answers"] = input.Answers.Count }, ct);
        return PortalResult<AssessmentView>.Ok((await AssessmentService.ViewAsync(db, a, true, Today, ct, notice: "Draft saved."))!);
    }

    /// <summary>What the form looks like with these (unsaved) answers: which questions show, and what is wrong. Saves nothing.</summary>
    public async Task<PortalResult<AssessmentView>> PreviewAsync(string? session, Guid id, Dictionary<string, Answer> answers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var (a, problem) = await AccessAsync(session, id, write: false, ct);
        if (a is null)
        {
            return problem!.Cast<AssessmentView>();
        }
        var evaluation = AssessmentService.Compile(a).Evaluate(answers, Today);
        return PortalResult<AssessmentView>.Ok((await AssessmentService.ViewAsync(db, a, true, Today, ct, evaluation.Errors, answersOverride: answers))!);
    }

    public async Task<PortalResult<AssessmentView>> SubmitAsync(string? session, Guid id, CancellationToken ct = default)
    {
        var (a, problem) = await AccessAsync(session, id, write: true, ct);
        if (a is null)
        {
            return problem!.Cast<AssessmentView>();
        }
        var compiled = AssessmentService.Compile(a);
        var answers = AssessmentService.Answers(a);
        var evaluation = compiled.Evaluate(answers, Today, EvaluationMode.Submit);
        if (!evaluation.IsValid)
        {
            return PortalResult<AssessmentView>.Fail(400, $"{evaluation.Errors.Count} question(s) still need an answer or a correction; nothing was submitted.",
                evaluation.Errors);
        }
        a.Status = AssessmentStatus.Submitted;
        a.SubmittedAt = time.GetUtcNow();
        a.Score = evaluation.Score;
        a.HighFindings = evaluation.Findings.Count(f => f.Severity >= Severity.High);
        a.Version = Guid.NewGuid();
        if (await ConflictAsync(ct) is { } conflict)
        {
            return conflict.Cast<AssessmentView>();
        }
        await LogAsync("assessment.submitted", a.Id, new Dictionary<string, object?>
        {
            ["answered"] = evaluation.Answered, ["findings"] = evaluation.Findings.Count, ["high_findings"] = a.HighFindings,
            ["score"] = a.Score?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        if (options.Value.Diligence.AlertEmail is { Length: > 0 } team)
        {
            await email.SendAsync(team, $"Assessment submitted: {a.TemplateTitle}", $"{a.ContactName} ({a.ContactEmail}) submitted \"{a.TemplateTitle}\". It is ready for review.", ct);
        }
        return PortalResult<AssessmentView>.Ok((await AssessmentService.ViewAsync(db, a, true, Today, ct, notice: "Submitted. Thank you: the reviewers will come back to you if anything needs clarification."))!);
    }

    public async Task<PortalResult<AssessmentView>> CommentAsync(string? session, Guid id, PortalCommentInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (a, problem) = await AccessAsync(session, id, write: true, ct);
        if (a is null)
        {
            return problem!.Cast<AssessmentView>();
        }
        var errors = new ValidationErrors();
        var text = errors.Text("text", input.Text, AssessmentComment.TextMax, required: true, label: "Text");
        if (input.QuestionId is { Length: > 0 } q && AssessmentService.Compile(a).Question(q) is null)
        {
            errors.Add("questionId", $"There is no question '{q}' in this questionnaire.");
        }
        if (errors.Any)
        {
            return PortalResult<AssessmentView>.Fail(400, "The comment was not saved.", errors.ToDictionary());
        }
        db.Add(new AssessmentComment { AssessmentId = id, QuestionId = input.QuestionId, Author = a.ContactEmail, FromVendor = true, Text = text!, At = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await LogAsync("assessment.vendor-commented", id, new Dictionary<string, object?> { ["question"] = input.QuestionId }, ct);
        return PortalResult<AssessmentView>.Ok((await AssessmentService.ViewAsync(db, a, true, Today, ct))!);
    }

    public async Task<PortalResult<EvidenceSummary>> UploadAsync(string? session, Guid id, string fileName, byte[] content, EvidenceInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (a, problem) = await AccessAsync(session, id, write: true, ct);
        if (a is null)
        {
            return problem!.Cast<EvidenceSummary>();
        }
        if (input.QuestionId is { Length: > 0 } q && AssessmentService.Compile(a).Question(q) is not { Type: QuestionType.File })
        {
            return PortalResult<EvidenceSummary>.Fail(400, $"'{q}' is not a file question of this questionnaire.");
        }
        var stored = await evidence.StoreAsync(a.VendorId, a.Id, fileName, content, input, fromVendor: true, ct);
        return stored.IsOk ? PortalResult<EvidenceSummary>.Ok(stored.Value!)
            : PortalResult<EvidenceSummary>.Fail(stored.Kind == OutcomeKind.NotFound ? 404 : 400, stored.Describe(), stored.Errors);
    }

    public async Task<PortalResult<EvidenceDownload>> DownloadAsync(string? session, Guid id, Guid evidenceId, CancellationToken ct = default)
    {
        var (a, problem) = await AccessAsync(session, id, write: false, ct);
        if (a is null)
        {
            return problem!.Cast<EvidenceDownload>();
        }
        var file = await evidence.DownloadAsync(evidenceId, a.Id, ct);
        return file.IsOk ? PortalResult<EvidenceDownload>.Ok(file.Value!) : PortalResult<EvidenceDownload>.Fail(404, file.Describe());
    }

    /// <summary>Which assessment a browser session opens, or why it opens none.</summary>
    public async Task<PortalResult<Guid>> SessionAsync(string? session, CancellationToken ct = default)
    {
        var (link, problem) = await SessionLinkAsync(session, ct);
        return link is null ? problem!.Cast<Guid>() : PortalResult<Guid>.Ok(link.AssessmentId);
    }

    private async Task<(PortalLink?, PortalResult<string>?)> SessionLinkAsync(string? session, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(session) || session.Length > 100)
        {
            return (null, PortalResult<string>.Fail(401, "Open the assessment from the link in your invitation."));
        }
        var hash = AssessmentService.Hash(session);
        var link = await db.PortalLinks.AsNoTracking().FirstOrDefaultAsync(l => l.SessionHash == hash, ct);
        if (link is null)
        {
            return (null, PortalResult<string>.Fail(401, "This browser session is not valid. Open the assessment from the link in your invitation."));
        }
        if (link.RevokedAt is not null)
        {
            return (null, PortalResult<string>.Fail(410, "This access was replaced by a newer link or withdrawn. Use the latest invitation, or ask the sender for a new link."));
        }
        if (link.ExpiresAt <= time.GetUtcNow())
        {
            return (null, PortalResult<string>.Fail(410, $"This access expired on {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Ask the sender for a new link; your saved answers are kept."));
        }
        return (link, null);
    }

    private async Task<(Assessment?, PortalResult<string>?)> AccessAsync(string? session, Guid id, bool write, CancellationToken ct)
    {
        var (link, problem) = await SessionLinkAsync(session, ct);
        if (link is null)
        {
            return (null, problem);
        }
        if (link.AssessmentId != id)
        {
            logger.LogWarning("Portal session for assessment {Own} tried to reach assessment {Other}", link.AssessmentId, id);
            await LogAsync("portal.denied", link.AssessmentId, new Dictionary<string, object?> { ["attempted"] = id.ToString() }, ct);
            return (null, PortalResult<string>.Fail(403, "Your link opens one assessment only, and this is not it."));
        }
        var a = await db.Assessments.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null || a.Status == AssessmentStatus.Cancelled)
        {
            return (null, PortalResult<string>.Fail(410, "This assessment was withdrawn by the sender."));
        }
        db.Actor = $"vendor contact {link.Email}";
        if (write && !a.IsOpenForVendor)
        {
            return (null, PortalResult<string>.Fail(409, a.Status == AssessmentStatus.Accepted
                ? "This assessment has been accepted and can no longer be changed."
                : "This assessment was submitted and is being reviewed; you can change it again if the reviewers ask for clarification."));
        }
        return (a, null);
    }

    private async Task<(PortalLink?, PortalResult<string>?)> FindLinkAsync(string token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length != 43 || token.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            return (null, PortalResult<string>.Fail(404, "This link is not valid. Check that you copied all of it, or ask the sender for a new one."));
        }
        var hash = AssessmentService.Hash(token);
        var link = await db.PortalLinks.FirstOrDefaultAsync(l => l.TokenHash == hash, ct);
        if (link is null)
        {
            return (null, PortalResult<string>.Fail(404, "This link is not valid. Check that you copied all of it, or ask the sender for a new one."));
        }
        if (link.UsedAt is not null)
        {
            return (null, PortalResult<string>.Fail(410, "This link has already been used. Links work once; continue in the browser where you first opened it, or ask the sender for a new one."));
        }
        if (link.RevokedAt is not null)
        {
            return (null, PortalResult<string>.Fail(410, "This link was replaced by a newer one or withdrawn. Use the latest invitation."));
        }
        if (link.ExpiresAt <= time.GetUtcNow())
        {
            return (null, PortalResult<string>.Fail(410, $"This link expired on {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Ask the sender for a new one."));
        }
        return (link, null);
    }

    /// <summary>Saves; when another window saved the same assessment first, says so instead of overwriting it.</summary>
    private async Task<PortalResult<string>?> ConflictAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return PortalResult<string>.Fail(409, "The assessment was saved from another window a moment ago; nothing of this save was kept. Reload to see the latest answers.");
        }
    }

    private async Task CheckFilesAsync(Assessment a, CompiledQuestionnaire compiled, Dictionary<string, Answer> given, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        foreach (var (qid, answer) in given)
        {
            if (compiled.Question(qid) is { Type: QuestionType.File } && !errors.ContainsKey(qid) && Guid.TryParse(answer?.Value, out var evidenceId)
                && !await db.Evidence.AnyAsync(e => e.Id == evidenceId && e.AssessmentId == a.Id, ct))
            {
                errors[qid] = ["Upload the file with this assessment first; the evidence id given is not one of its files."];
            }
        }
    }

    private async Task LogAsync(string action, Guid assessmentId, Dictionary<string, object?>? details, CancellationToken ct)
    {
        var vendor = await db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId)
            .Join(db.Vendors.AsNoTracking(), a => a.VendorId, v => v.Id, (a, v) => v.Name).FirstOrDefaultAsync(ct);
        await audit.RecordAsync(action, "assessment", assessmentId.ToString(), vendor, details, ct);
    }
}
