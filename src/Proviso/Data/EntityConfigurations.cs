using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Proviso.Accounts;
using Proviso.Vendors;

namespace Proviso.Data;

internal sealed class VendorConfiguration : IEntityTypeConfiguration<Vendor>
{
    public void Configure(EntityTypeBuilder<Vendor> b)
    {
        b.ToTable("vendors");
        b.HasKey(v => v.Id);
        b.Property(v => v.Name).HasMaxLength(Vendor.NameMax).IsRequired();
        b.Property(v => v.NormalizedName).HasMaxLength(Vendor.NameMax).IsRequired();
        b.HasIndex(v => v.NormalizedName).IsUnique();
        b.Property(v => v.Website).HasMaxLength(Vendor.WebsiteMax);
        b.Property(v => v.Owner).HasMaxLength(Vendor.OwnerMax);
        b.Property(v => v.Description).HasMaxLength(Vendor.DescriptionMax);
        b.Property(v => v.Tags);
        b.Property(v => v.Version).IsConcurrencyToken();
        b.Property(v => v.CreatedBy).HasMaxLength(256);
        b.Property(v => v.ModifiedBy).HasMaxLength(256);
        b.HasIndex(v => v.Status);
        b.HasIndex(v => v.RiskTier);
        b.OwnsMany(v => v.Contacts, c =>
        {
            c.ToJson();
        });
        b.HasMany(v => v.Services).WithOne().HasForeignKey(s => s.VendorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AiServiceConfiguration : IEntityTypeConfiguration<AiService>
{
    public void Configure(EntityTypeBuilder<AiService> b)
    {
        b.ToTable("ai_services");
        b.HasKey(s => s.Id);
        b.Property(s => s.Name).HasMaxLength(AiService.NameMax).IsRequired();
        b.Property(s => s.Purpose).HasMaxLength(AiService.PurposeMax);
        b.Property(s => s.Model).HasMaxLength(AiService.ModelMax);
        b.Property(s => s.CreatedBy).HasMaxLength(256);
        b.Property(s => s.ModifiedBy).HasMaxLength(256);
        b.OwnsMany(s => s.Endpoints, e =>
        {
            e.ToJson();
        });
        b.OwnsOne(s => s.Gateway, g =>
        {
            g.ToJson();
            g.OwnsMany(x => x.Categories);
        });
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Name).HasMaxLength(ApiKey.NameMax).IsRequired();
        b.Property(k => k.Hint).HasMaxLength(16).IsRequired();
        b.Property(k => k.Hash).HasMaxLength(32).IsRequired();
        b.HasIndex(k => k.Hash).IsUnique();
        b.HasOne(k => k.Owner).WithMany().HasForeignKey(k => k.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
