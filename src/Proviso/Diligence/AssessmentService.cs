using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Diligence.Questionnaires;
using Proviso.Hosting;
using Proviso.Ledger;

namespace Proviso.Diligence;

public sealed record ChoiceView(string Id, string Label);

public sealed record QuestionView(string Id, string Text, string? Help, string Type, bool Required, bool Visible,
    IReadOnlyList<ChoiceView> Choices, double? Min, double? Max, int MaxLength, Answer? Answer, double? Score, IReadOnlyList<string> Errors);

public sealed record SectionView(string Id, string Title, string? Description, IReadOnlyList<QuestionView> Questions);

public sealed record CommentView(Guid Id, string? QuestionId, string Author, bool FromVendor, bool Clarification, string Text, DateTimeOffset At);

/// <summary>An assessment as a reviewer (with score and findings) or as the vendor contact (without) sees it.</summary>
public sealed record AssessmentView(
    Guid Id, Guid VendorId, string VendorName, string TemplateKey, string Title, AssessmentStatus Status, string ContactName, string ContactEmail,
    DateOnly? DueDate, bool Overdue, bool Editable, double? Score, int Asked, int Answered, IReadOnlyList<SectionView> Sections,
    IReadOnlyList<Finding>? Findings, IReadOnlyList<CommentView> Comments, IReadOnlyList<EvidenceSummary> Evidence,
    DateTimeOffset SentAt, DateTimeOffset? SubmittedAt, DateTimeOffset? AcceptedAt, string? AcceptedBy, string? Notice);

public sealed record AssessmentSummary(Guid Id, Guid VendorId, string VendorName, string Title, AssessmentStatus Status, string ContactName,
    string ContactEmail, DateOnly? DueDate, bool Overdue, double? Score, int HighFindings, DateTimeOffset SentAt, DateTimeOffset? SubmittedAt,
    DateTimeOffset? AcceptedAt);

public sealed record SendInput(string? Template, string? ContactName, string? ContactEmail, DateOnly? DueDate);

/// <summary>The link is shown once, to the sender, whether or not it was also e-mailed.</summary>
public sealed record SentAssessment(AssessmentSummary Assessment, string Link, DateTimeOffset LinkExpiresAt, bool Emailed);

public sealed record ReviewInput(string? Action, string? Text, string? QuestionId);

/// <summary>
/// The reviewer's side of questionnaires: send to a vendor contact with a single-use expiring link,
/// re-send (the old link stops working), comment, ask for clarification, accept, cancel.
/// </summary>
public sealed class AssessmentService(
    ProvisoDbContext db, AuditTrail audit, TimeProvider time, IOptions<ProvisoOptions> options, IEmailSender email)
{
    internal static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<IReadOnlyList<AssessmentSummary>> ListAsync(Guid? vendorId = null, CancellationToken ct = default)
    {
        var query = db.Assessments.AsNoTracking();
        if (vendorId is { } v)
        {
            query = query.Where(a => a.VendorId == v);
        }
        var rows = await query.ToListAsync(ct);
        var names = await VendorNamesAsync(rows.Select(r => r.VendorId), ct);
        return rows.OrderByDescending(r => r.CreatedAt).Select(r => Summary(r, names.GetValueOrDefault(r.VendorId, "?"), Today)).ToList();
    }

    public async Task<Outcome<SentAssessment>> SendAsync(Guid vendorId, SendInput input, string baseUrl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        if (vendor is null)
        {
            return Outcome<SentAssessment>.NotFound($"Vendor {vendorId} does not exist.");
        }
        var errors = new ValidationErrors();
        var name = errors.Text("contactName", input.ContactName, Assessment.ContactMax, required: true, label: "Contact name");
        var mail = errors.Text("contactEmail", input.ContactEmail, Assessment.ContactMax, required: true, label: "Contact e-mail");
        if (mail is not null && !System.Net.Mail.MailAddress.TryCreate(mail, out _))
        {
            errors.Add("contactEmail", $"'{mail}' is not an e-mail address.");
        }
        if (input.DueDate is { } due && due < Today)
        {
            errors.Add("dueDate", "The due date is in the past.");
        }
        var key = string.IsNullOrWhiteSpace(input.Template) ? TemplateFormat.BuiltInKey : input.Template.Trim();
        var template = await db.QuestionnaireTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, ct);
        if (template is null)
        {
            errors.Add("template", $"There is no questionnaire '{key}'.");
        }
        if (errors.Any)
        {
            return Outcome<SentAssessment>.Invalid(errors.ToDictionary());
        }
        var assessment = new Assessment
        {
            VendorId = vendorId, TemplateKey = template!.Key, TemplateTitle = template.Title, Definition = template.Definition,
            ContactName = name!, ContactEmail = mail!, DueDate = input.DueDate ?? Today.AddDays(options.Value.Diligence.LinkValidDays),
        };
        db.Add(assessment);
        var (link, token) = NewLink(assessment);
        db.Add(link);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("assessment.sent", "assessment", assessment.Id.ToString(), vendor.Name, new Dictionary<string, object?>
        {
            ["questionnaire"] = template.Key, ["version"] = template.Version, ["contact"] = mail,
            ["due"] = assessment.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        return Outcome<SentAssessment>.Ok(await DeliverAsync(assessment, vendor.Name, link, token, baseUrl, ct));
    }

    /// <summary>Issues a new link (for a lost or expired one); every earlier link of the assessment stops working.</summary>
    public async Task<Outcome<SentAssessment>> ResendAsync(Guid id, string baseUrl, CancellationToken ct = default)
    {
        var assessment = await db.Assessments.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (assessment is null)
        {
            return Outcome<SentAssessment>.NotFound($"Assessment {id} does not exist.");
        }
        if (!assessment.IsOpenForVendor)
        {
            return Outcome<SentAssessment>.Conflict($"The assessment is {Key(assessment.Status)}; a new link is only issued while the vendor can still answer.");
        }
        var now = time.GetUtcNow();
        await foreach (var old in db.PortalLinks.Where(l => l.AssessmentId == id && l.RevokedAt == null).AsAsyncEnumerable().WithCancellation(ct))
        {
            old.RevokedAt = now;
        }
        var (link, token) = NewLink(assessment);
        db.Add(link);
        await db.SaveChangesAsync(ct);
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == assessment.VendorId).Select(v => v.Name).FirstAsync(ct);
        await audit.RecordAsync("assessment.link-reissued", "assessment", id.ToString(), vendor, new Dictionary<string, object?> { ["contact"] = assessment.ContactEmail }, ct);
        return Outcome<SentAssessment>.Ok(await DeliverAsync(assessment, vendor, link, token, baseUrl, ct));
    }

    public async Task<AssessmentView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        var a = await db.Assessments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return a is null ? null : await ViewAsync(db, a, forVendor: false, Today, ct);
    }

    /// <summary>Comment, ask for clarification (reopens the assessment to the vendor), accept, or cancel.</summary>
    public async Task<Outcome<AssessmentView>> ReviewAsync(Guid id, ReviewInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var a = await db.Assessments.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return Outcome<AssessmentView>.NotFound($"Assessment {id} does not exist.");
        }
        var errors = new ValidationErrors();
        var action = input.Action?.Trim().ToLowerInvariant();
        var text = errors.Text("text", input.Text, AssessmentComment.TextMax, required: action is "comment" or "clarify", label: "Text");
        var compiled = Compile(a);
        if (input.QuestionId is { Length: > 0 } qid && compiled.Question(qid) is null)
        {
            errors.Add("questionId", $"There is no question '{qid}' in this questionnaire.");
        }
        if (action is not ("comment" or "clarify" or "accept" or "cancel"))
        {
            errors.Add("action", "Action must be comment, clarify, accept or cancel.");
        }
        if (errors.Any)
        {
            return Outcome<AssessmentView>.Invalid(errors.ToDictionary());
        }
        var now = time.GetUtcNow();
        switch (action)
        {
            case "clarify" when a.Status != AssessmentStatus.Submitted:
                return Outcome<AssessmentView>.Conflict($"Clarification can be asked on a submitted assessment; this one is {Key(a.Status)}.");
            case "accept" when a.Status != AssessmentStatus.Submitted:
                return Outcome<AssessmentView>.Conflict($"Only a submitted assessment can be accepted; this one is {Key(a.Status)}.");
            case "cancel" when a.Status is AssessmentStatus.Accepted or AssessmentStatus.Cancelled:
                return Outcome<AssessmentView>.Conflict($"The assessment is already {Key(a.Status)}.");
            case "clarify":
                a.Status = AssessmentStatus.ClarificationRequested;
                break;
            case "accept":
                a.Status = AssessmentStatus.Accepted;
                a.AcceptedAt = now;
                a.AcceptedBy = db.Actor;
                break;
            case "cancel":
                a.Status = AssessmentStatus.Cancelled;
                await foreach (var l in db.PortalLinks.Where(l => l.AssessmentId == id && l.RevokedAt == null).AsAsyncEnumerable().WithCancellation(ct))
                {
                    l.RevokedAt = now;
                }
                break;
            default:
                break;
        }
        if (text is not null)
        {
            db.Add(new AssessmentComment
            {
                AssessmentId = id, QuestionId = input.QuestionId, Author = db.Actor ?? "reviewer", Text = text, At = now,
                IsClarificationRequest = action == "clarify",
            });
        }
        a.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<AssessmentView>.Conflict("The assessment changed while you were reviewing it. Reload and try again.");
        }
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == a.VendorId).Select(v => v.Name).FirstAsync(ct);
        await audit.RecordAsync(action switch
        {
            "clarify" => "assessment.clarification-requested",
            "accept" => "assessment.accepted",
            "cancel" => "assessment.cancelled",
            _ => "assessment.commented",
        }, "assessment", id.ToString(), vendor, new Dictionary<string, object?>
        {
            ["question"] = input.QuestionId, ["status"] = Key(a.Status),
            ["score"] = a.Score?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        if (action == "clarify")
        {
            await email.SendAsync(a.ContactEmail, $"Clarification requested: {a.TemplateTitle}",
                $"Hello {a.ContactName},\n\nThe reviewers of {vendor}'s \"{a.TemplateTitle}\" asked for clarification:\n\n{text}\n\nOpen your assessment from the link you received; ask us for a new one if it has expired.\n", ct);
        }
        return Outcome<AssessmentView>.Ok((await ViewAsync(db, a, false, Today, ct))!);
    }

    private async Task<SentAssessment> DeliverAsync(Assessment a, string vendor, PortalLink link, string token, string baseUrl, CancellationToken ct)
    {
        var url = $"{(options.Value.PublicUrl ?? baseUrl).TrimEnd('/')}/portal/link/{token}";
        var emailed = await email.SendAsync(a.ContactEmail, $"{vendor}: please complete \"{a.TemplateTitle}\"",
            $"Hello {a.ContactName},\n\nPlease answer the \"{a.TemplateTitle}\" questionnaire for {vendor}" +
            (a.DueDate is { } d ? $" by {d:yyyy-MM-dd}" : "") + ".\n\n" +
            $"Open it here (the link works once, in one browser, until {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC):\n{url}\n\nYou can save drafts and come back in the same browser.\n", ct);
        return new SentAssessment(Summary(a, vendor, Today), url, link.ExpiresAt, emailed);
    }

    private (PortalLink Link, string Token) NewLink(Assessment a)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        return (new PortalLink
        {
            AssessmentId = a.Id, TokenHash = Hash(token), Email = a.ContactEmail, CreatedAt = now, CreatedBy = db.Actor,
            ExpiresAt = now.AddDays(options.Value.Diligence.LinkValidDays),
        }, token);
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    public static string Key(AssessmentStatus s) => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString());

    internal static CompiledQuestionnaire Compile(Assessment a) => TemplateFormat.Compile(TemplateService.Parse(a.Definition));

    internal static Dictionary<string, Answer> Answers(Assessment a) =>
        JsonSerializer.Deserialize<Dictionary<string, Answer>>(a.AnswersJson, AnswerJson) ?? [];

    internal static bool IsOverdue(Assessment a, DateOnly today) => a.IsOpenForVendor && a.DueDate < today;

    internal static AssessmentSummary Summary(Assessment a, string vendor, DateOnly today) =>
        new(a.Id, a.VendorId, vendor, a.TemplateTitle, a.Status, a.ContactName, a.ContactEmail, a.DueDate, IsOverdue(a, today), a.Score,
            a.HighFindings, a.CreatedAt, a.SubmittedAt, a.AcceptedAt);

    private async Task<Dictionary<Guid, string>> VendorNamesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var set = ids.Distinct().ToList();
        return await db.Vendors.AsNoTracking().Where(v => set.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
    }

    /// <summary>Builds the view shared by the reviewer page, the portal and the API.</summary>
    internal static async Task<AssessmentView?> ViewAsync(ProvisoDbContext db, Assessment a, bool forVendor, DateOnly today, CancellationToken ct,
        IReadOnlyDictionary<string, string[]>? errors = null, string? notice = null, Dictionary<string, Answer>? answersOverride = null)
    {
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == a.VendorId).Select(v => v.Name).FirstOrDefaultAsync(ct) ?? "?";
        var compiled = Compile(a);
        var answers = answersOverride ?? Answers(a);
        var evaluation = compiled.Evaluate(answers, today);
        var results = evaluation.Questions.ToDictionary(q => q.QuestionId);
        var sections = compiled.Template.Sections.Select(s => new SectionView(s.Id, s.Title, s.Description, s.Questions.Select(q =>
        {
            var r = results[q.Id];
            return new QuestionView(q.Id, q.Text, q.Help, TemplateFormat.Name(q.Type), q.Required, r.Visible,
                q.Type == QuestionType.YesNo ? [new("yes", "Yes"), new("no", "No")] : q.Choices.Select(c => new ChoiceView(c.Id, c.Label)).ToList(),
                q.Min, q.Max, q.MaxLength, answers.GetValueOrDefault(q.Id), forVendor ? null : r.Score,
                errors?.GetValueOrDefault(q.Id) ?? []);
        }).ToList())).ToList();
        var comments = (await db.AssessmentComments.AsNoTracking().Where(c => c.AssessmentId == a.Id).ToListAsync(ct))
            .OrderBy(c => c.At).Select(c => new CommentView(c.Id, c.QuestionId, c.Author, c.FromVendor, c.IsClarificationRequest, c.Text, c.At)).ToList();
        var evidence = (await db.Evidence.AsNoTracking().Where(e => e.AssessmentId == a.Id).ToListAsync(ct))
            .OrderBy(e => e.CreatedAt).Select(e => EvidenceService.Summary(e, today)).ToList();
        return new AssessmentView(a.Id, a.VendorId, vendor, a.TemplateKey, a.TemplateTitle, a.Status, a.ContactName, a.ContactEmail, a.DueDate,
            IsOverdue(a, today), a.IsOpenForVendor, forVendor ? null : a.Score ?? evaluation.Score, evaluation.Asked, evaluation.Answered, sections,
            forVendor ? null : evaluation.Findings, comments, evidence, a.CreatedAt, a.SubmittedAt, a.AcceptedAt, a.AcceptedBy, notice ?? compiled.Template.Notice);
    }
}
