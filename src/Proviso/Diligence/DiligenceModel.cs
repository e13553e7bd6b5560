using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Proviso.Data;
using Proviso.Diligence.Questionnaires;
using Proviso.Vendors;

namespace Proviso.Diligence;

/// <summary>A questionnaire template as stored: its definition is the template's JSON (<see cref="TemplateFormat"/>).</summary>
public sealed class QuestionnaireTemplateRow : IAuditable
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Key { get; set; } = "";
    public string Title { get; set; } = "";
    public string Source { get; set; } = "custom";
    public int Version { get; set; } = 1;
    public int QuestionCount { get; set; }
    public bool IsBuiltIn { get; set; }
    public string Definition { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }
}

public enum AssessmentStatus
{
    /// <summary>Link sent; the vendor has not saved anything yet.</summary>
    Sent,

    /// <summary>The vendor has saved a draft.</summary>
    InProgress,

    /// <summary>The vendor submitted; reviewers are looking.</summary>
    Submitted,

    /// <summary>A reviewer asked for clarification; the vendor may change answers and submit again.</summary>
    ClarificationRequested,

    /// <summary>Reviewed and accepted; counts towards residual risk and the next due date.</summary>
    Accepted,

    Cancelled,
}

/// <summary>One questionnaire sent to one vendor contact, with the template as it was when sent.</summary>
public sealed class Assessment : IAuditable
{
    public const int ContactMax = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VendorId { get; set; }
    public string TemplateKey { get; set; } = "";
    public string TemplateTitle { get; set; } = "";

    /// <summary>The template snapshot (JSON): later edits to the template never change an assessment in flight.</summary>
    public string Definition { get; set; } = "{}";

    public AssessmentStatus Status { get; set; } = AssessmentStatus.Sent;
    public string ContactName { get; set; } = "";
    public string ContactEmail { get; set; } = "";

    /// <summary>When the vendor's answers are due.</summary>
    public DateOnly? DueDate { get; set; }

    /// <summary>Answers by question id (JSON of <see cref="Answer"/>).</summary>
    public string AnswersJson { get; set; } = "{}";

    public double? Score { get; set; }
    public int HighFindings { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public string? AcceptedBy { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }

    public bool IsOpenForVendor => Status is AssessmentStatus.Sent or AssessmentStatus.InProgress or AssessmentStatus.ClarificationRequested;
}

/// <summary>A remark on an assessment (optionally on one question), by a reviewer or by the vendor contact.</summary>
public sealed class AssessmentComment
{
    public const int TextMax = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AssessmentId { get; set; }
    public string? QuestionId { get; set; }
    public string Author { get; set; } = "";
    public bool FromVendor { get; set; }

    /// <summary>A reviewer's request for clarification (reopens the assessment) rather than a remark.</summary>
    public bool IsClarificationRequest { get; set; }

    public string Text { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// A single-use, expiring link to an assessment. Only hashes are stored: the link's token (shown once
/// to the sender) and, after its one use, the session token of the browser that used it.
/// </summary>
public sealed class PortalLink
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AssessmentId { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public byte[]? SessionHash { get; set; }
    public string Email { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public enum EvidenceKind
{
    Soc2Type1,
    Soc2Type2,
    Iso27001,
    Iso27701,
    Iso42001,
    PenTestSummary,
    Policy,
    Other,
}

/// <summary>A certification, report or policy a vendor provided; the file is stored encrypted with its SHA-256.</summary>
public sealed class EvidenceFile : IAuditable
{
    public const int TextMax = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VendorId { get; set; }
    public Guid? AssessmentId { get; set; }
    public string? QuestionId { get; set; }
    public EvidenceKind Kind { get; set; } = EvidenceKind.Other;
    public string Title { get; set; } = "";
    public string? Issuer { get; set; }
    public string? Scope { get; set; }
    public DateOnly? PeriodStart { get; set; }
    public DateOnly? PeriodEnd { get; set; }
    public DateOnly? ExpiresOn { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";

    /// <summary>Nonce, tag and ciphertext (AES-256-GCM under the evidence key).</summary>
    public byte[] Sealed { get; set; } = [];

    public bool FromVendor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }
}

/// <summary>An alert raised once per subject and threshold (e.g. "SOC 2 report expires in 30 days").</summary>
public sealed class DiligenceAlert
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Kind { get; set; } = "";
    public Guid VendorId { get; set; }
    public Guid SubjectId { get; set; }
    public int Threshold { get; set; }
    public string Message { get; set; } = "";
    public DateOnly? Due { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public bool Emailed { get; set; }
}

public enum RiskTreatment
{
    Mitigate,
    Accept,
    Transfer,
    Avoid,
}

public enum RiskItemStatus
{
    Open,
    InProgress,
    Closed,
}

/// <summary>An entry in the risk register: a named risk with an owner, a treatment and a due date.</summary>
public sealed class RiskItem : IAuditable
{
    public const int TitleMax = 200;
    public const int DescriptionMax = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VendorId { get; set; }
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public Severity Severity { get; set; } = Severity.Medium;
    public string Owner { get; set; } = "";
    public RiskTreatment Treatment { get; set; } = RiskTreatment.Mitigate;
    public RiskItemStatus Status { get; set; } = RiskItemStatus.Open;
    public DateOnly? DueDate { get; set; }

    /// <summary>Where the risk came from, e.g. a questionnaire finding id.</summary>
    public string? Source { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }
}

public enum DecisionOutcome
{
    Approve,
    ApproveWithConditions,
    Reject,
}

public enum DecisionStatus
{
    /// <summary>Waiting for sign-off from every function.</summary>
    Pending,

    /// <summary>Every function signed; the vendor's status follows the outcome.</summary>
    Final,

    /// <summary>A function objected; a new proposal is needed.</summary>
    Objected,

    Withdrawn,
}

/// <summary>A proposed decision on a vendor and the functions' sign-offs.</summary>
public sealed class VendorDecision : IAuditable
{
    public const int TextMax = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VendorId { get; set; }
    public DecisionOutcome Outcome { get; set; }
    public string? Conditions { get; set; }
    public string? Rationale { get; set; }
    public DecisionStatus Status { get; set; } = DecisionStatus.Pending;

    /// <summary>The functions whose sign-off this decision needs, as configured when it was proposed.</summary>
    public List<string> Functions { get; set; } = [];

    public List<SignOff> SignOffs { get; set; } = [];
    public string? ResidualTier { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }
}

public sealed class SignOff
{
    public string Function { get; set; } = "";
    public bool Agree { get; set; }
    public string? Note { get; set; }
    public string By { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>A declared flow of data from an internal system to one of the vendor's services.</summary>
public sealed class DataFlowRow : IAuditable
{
    public const int TextMax = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VendorId { get; set; }
    public Guid ServiceId { get; set; }
    public string InternalSystem { get; set; } = "";
    public DataCategory Categories { get; set; }
    public string? Region { get; set; }
    public List<string> SubProcessors { get; set; } = [];
    public string? Purpose { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }
}

internal sealed class DiligenceConfiguration :
    IEntityTypeConfiguration<QuestionnaireTemplateRow>, IEntityTypeConfiguration<Assessment>, IEntityTypeConfiguration<AssessmentComment>,
    IEntityTypeConfiguration<PortalLink>, IEntityTypeConfiguration<EvidenceFile>, IEntityTypeConfiguration<DiligenceAlert>,
    IEntityTypeConfiguration<RiskItem>, IEntityTypeConfiguration<VendorDecision>, IEntityTypeConfiguration<DataFlowRow>
{
    public void Configure(EntityTypeBuilder<QuestionnaireTemplateRow> b)
    {
        b.ToTable("questionnaire_templates");
        b.Property(x => x.Key).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.Key).IsUnique();
        b.Property(x => x.Title).HasMaxLength(200).IsRequired();
        b.Property(x => x.Source).HasMaxLength(20).IsRequired();
        b.Property(x => x.Definition).IsRequired();
        Stamps(b);
    }

    public void Configure(EntityTypeBuilder<Assessment> b)
    {
        b.ToTable("assessments");
        b.Property(x => x.TemplateKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.TemplateTitle).HasMaxLength(200).IsRequired();
        b.Property(x => x.Definition).IsRequired();
        b.Property(x => x.AnswersJson).IsRequired();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.ContactName).HasMaxLength(Assessment.ContactMax).IsRequired();
        b.Property(x => x.ContactEmail).HasMaxLength(Assessment.ContactMax).IsRequired();
        b.Property(x => x.AcceptedBy).HasMaxLength(256);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.VendorId);
        b.HasIndex(x => x.Status);
        b.HasOne<Vendor>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
        Stamps(b);
    }

    public void Configure(EntityTypeBuilder<AssessmentComment> b)
    {
        b.ToTable("assessment_comments");
        b.Property(x => x.QuestionId).HasMaxLength(128);
        b.Property(x => x.Author).HasMaxLength(256).IsRequired();
        b.Property(x => x.Text).HasMaxLength(AssessmentComment.TextMax).IsRequired();
        b.HasIndex(x => x.AssessmentId);
        b.HasOne<Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<PortalLink> b)
    {
        b.ToTable("portal_links");
        b.Property(x => x.TokenHash).HasMaxLength(32).IsRequired();
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.Property(x => x.SessionHash).HasMaxLength(32);
        b.HasIndex(x => x.SessionHash).IsUnique();
        b.Property(x => x.Email).HasMaxLength(Assessment.ContactMax).IsRequired();
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => x.AssessmentId);
        b.HasOne<Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<EvidenceFile> b)
    {
        b.ToTable("evidence");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.Title).HasMaxLength(EvidenceFile.TextMax).IsRequired();
        b.Property(x => x.Issuer).HasMaxLength(EvidenceFile.TextMax);
        b.Property(x => x.Scope).HasMaxLength(EvidenceFile.TextMax);
        b.Property(x => x.FileName).HasMaxLength(260).IsRequired();
        b.Property(x => x.ContentType).HasMaxLength(120).IsRequired();
        b.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
        b.Property(x => x.QuestionId).HasMaxLength(128);
        b.Property(x => x.Sealed).IsRequired();
        b.HasIndex(x => x.VendorId);
        b.HasIndex(x => x.ExpiresOn);
        b.HasOne<Vendor>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
        Stamps(b);
    }

    public void Configure(EntityTypeBuilder<DiligenceAlert> b)
    {
        b.ToTable("diligence_alerts");
        b.Property(x => x.Kind).HasMaxLength(40).IsRequired();
        b.Property(x => x.Message).HasMaxLength(1000).IsRequired();
        b.HasIndex(x => new { x.Kind, x.SubjectId, x.Threshold }).IsUnique();
        b.HasIndex(x => x.CreatedAt);
        b.HasOne<Vendor>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RiskItem> b)
    {
        b.ToTable("risks");
        b.Property(x => x.Title).HasMaxLength(RiskItem.TitleMax).IsRequired();
        b.Property(x => x.Description).HasMaxLength(RiskItem.DescriptionMax);
        b.Property(x => x.Owner).HasMaxLength(200).IsRequired();
        b.Property(x => x.Severity).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Treatment).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Source).HasMaxLength(200);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.VendorId);
        b.HasOne<Vendor>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
        Stamps(b);
    }

    public void Configure(EntityTypeBuilder<VendorDecision> b)
    {
        b.ToTable("vendor_decisions");
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Conditions).HasMaxLength(VendorDecision.TextMax);
        b.Property(x => x.Rationale).HasMaxLength(VendorDecision.TextMax);
        b.Property(x => x.ResidualTier).HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.OwnsMany(x => x.SignOffs, s => s.ToJson());
        b.HasIndex(x => x.VendorId);
        b.HasOne<Vendor>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
        Stamps(b);
    }

    public void Configure(EntityTypeBuilder<DataFlowRow> b)
    {
        b.ToTable("data_flows");
        b.Property(x => x.InternalSystem).HasMaxLength(DataFlowRow.TextMax).IsRequired();
        b.Property(x => x.Region).HasMaxLength(DataFlowRow.TextMax);
        b.Property(x => x.Purpose).HasMaxLength(DataFlowRow.TextMax);
        b.HasIndex(x => x.VendorId);
        b.HasOne<Vendor>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AiService>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Cascade);
        Stamps(b);
    }

    private static void Stamps<T>(EntityTypeBuilder<T> b) where T : class, IAuditable
    {
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.Property(x => x.ModifiedBy).HasMaxLength(256);
    }
}
