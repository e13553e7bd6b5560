using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Proviso.Data;

namespace Proviso.Contracts;

/// <summary>A contract uploaded to a vendor and the reviewer's decisions on the engine's findings.</summary>
public sealed class ContractReview : IAuditable
{
    public const int FileNameMax = 260;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VendorId { get; set; }
    public string FileName { get; set; } = "";
    public string Sha256 { get; set; } = "";

    /// <summary>The file as uploaded; findings and reports are computed from it, so they always match the document.</summary>
    public byte[] Content { get; set; } = [];
    public double Score { get; set; }

    /// <summary>Reviewer decisions per clause kind, as JSON (<see cref="ClauseDecision"/>).</summary>
    public string DecisionsJson { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }
}

internal sealed class ContractReviewConfiguration : IEntityTypeConfiguration<ContractReview>
{
    public void Configure(EntityTypeBuilder<ContractReview> b)
    {
        b.ToTable("contract_reviews");
        b.HasKey(x => x.Id);
        b.Property(x => x.FileName).HasMaxLength(ContractReview.FileNameMax).IsRequired();
        b.Property(x => x.Sha256).HasMaxLength(64).IsRequired();
        b.Property(x => x.Content).IsRequired();
        b.Property(x => x.DecisionsJson).IsRequired();
        b.HasIndex(x => x.VendorId);
        b.HasOne<Vendors.Vendor>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
    }
}
