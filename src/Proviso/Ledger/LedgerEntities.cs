using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Proviso.Ledger;

/// <summary>
/// A ledger entry row. <see cref="Payload"/> (canonical JSON) and <see cref="LeafHash"/> are the log;
/// the other columns are copies for filtering only — pages display the payload, and verification
/// trusts nothing but payloads and signed checkpoints.
/// </summary>
public sealed class LedgerEntryRow
{
    public long Index { get; set; }
    public byte[] LeafHash { get; set; } = [];
    public byte[] Payload { get; set; } = [];
    public string Action { get; set; } = "";
    public string Actor { get; set; } = "";
    public string? Vendor { get; set; }
    public DateTimeOffset Time { get; set; }
}

public sealed class LedgerCheckpointRow
{
    public long Size { get; set; }
    public byte[] RootHash { get; set; } = [];
    public string Note { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A public key that has signed checkpoints of this log; retired keys stay trusted for the checkpoints they signed.</summary>
public sealed class LedgerKeyRow
{
    public string Verifier { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntryRow>
{
    public void Configure(EntityTypeBuilder<LedgerEntryRow> b)
    {
        b.ToTable("ledger_entries");
        b.HasKey(e => e.Index);
        b.Property(e => e.Index).HasColumnName("idx").ValueGeneratedNever();
        b.Property(e => e.LeafHash).HasColumnName("leaf_hash").HasMaxLength(32).IsRequired();
        b.Property(e => e.Payload).HasColumnName("payload").IsRequired();
        b.Property(e => e.Action).HasColumnName("action").HasMaxLength(100).IsRequired();
        b.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(300).IsRequired();
        b.Property(e => e.Vendor).HasColumnName("vendor").HasMaxLength(200);
        b.Property(e => e.Time).HasColumnName("time");
        b.HasIndex(e => e.Vendor);
        b.HasIndex(e => e.Time);
    }
}

internal sealed class LedgerCheckpointConfiguration : IEntityTypeConfiguration<LedgerCheckpointRow>
{
    public void Configure(EntityTypeBuilder<LedgerCheckpointRow> b)
    {
        b.ToTable("ledger_checkpoints");
        b.HasKey(c => c.Size);
        b.Property(c => c.Size).HasColumnName("size").ValueGeneratedNever();
        b.Property(c => c.RootHash).HasColumnName("root_hash").HasMaxLength(32).IsRequired();
        b.Property(c => c.Note).HasColumnName("note").IsRequired();
        b.Property(c => c.CreatedAt).HasColumnName("created_at");
    }
}

internal sealed class LedgerKeyConfiguration : IEntityTypeConfiguration<LedgerKeyRow>
{
    public void Configure(EntityTypeBuilder<LedgerKeyRow> b)
    {
        b.ToTable("ledger_keys");
        b.HasKey(k => k.Verifier);
        b.Property(k => k.Verifier).HasMaxLength(300);
        b.Property(k => k.Name).HasMaxLength(200);
    }
}
