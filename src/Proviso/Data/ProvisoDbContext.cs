using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Proviso.Accounts;
using Proviso.Vendors;

namespace Proviso.Data;

/// <summary>
/// The one DbContext of the host. Each provider has a thin subclass
/// (<see cref="SqliteProvisoDbContext"/>, <see cref="PostgresProvisoDbContext"/>) only so that each
/// keeps its own migrations; code everywhere depends on this type (see docs/decisions/0002).
/// </summary>
public abstract class ProvisoDbContext : IdentityDbContext<ProvisoUser>
{
    protected ProvisoDbContext(DbContextOptions options) : base(options)
    {
    }

    private string? _actor;

    /// <summary>
    /// Who is acting, for audit stamps. Read when changes are saved, not when the context is created:
    /// the context may be created during authentication, before the request's user is known.
    /// </summary>
    public string? Actor
    {
        get => _actor ?? ActorSource?.Name;
        set => _actor = value;
    }

    public ICurrentActor? ActorSource { get; set; }

    public DbSet<Vendor> Vendors => Set<Vendor>();
    public DbSet<AiService> AiServices => Set<AiService>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Ledger.LedgerEntryRow> LedgerEntries => Set<Ledger.LedgerEntryRow>();
    public DbSet<Ledger.LedgerCheckpointRow> LedgerCheckpoints => Set<Ledger.LedgerCheckpointRow>();
    public DbSet<Ledger.LedgerKeyRow> LedgerKeys => Set<Ledger.LedgerKeyRow>();
    public DbSet<Gateway.GatewayApplication> GatewayApplications => Set<Gateway.GatewayApplication>();
    public DbSet<Gateway.VaultEntry> VaultEntries => Set<Gateway.VaultEntry>();
    public DbSet<Contracts.ContractReview> ContractReviews => Set<Contracts.ContractReview>();
    public DbSet<Diligence.QuestionnaireTemplateRow> QuestionnaireTemplates => Set<Diligence.QuestionnaireTemplateRow>();
    public DbSet<Diligence.Assessment> Assessments => Set<Diligence.Assessment>();
    public DbSet<Diligence.AssessmentComment> AssessmentComments => Set<Diligence.AssessmentComment>();
    public DbSet<Diligence.PortalLink> PortalLinks => Set<Diligence.PortalLink>();
    public DbSet<Diligence.EvidenceFile> Evidence => Set<Diligence.EvidenceFile>();
    public DbSet<Diligence.DiligenceAlert> DiligenceAlerts => Set<Diligence.DiligenceAlert>();
    public DbSet<Diligence.RiskItem> Risks => Set<Diligence.RiskItem>();
    public DbSet<Diligence.VendorDecision> VendorDecisions => Set<Diligence.VendorDecision>();
    public DbSet<Diligence.DataFlowRow> DataFlows => Set<Diligence.DataFlowRow>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ProvisoDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<VendorStatus>().HaveConversion<string>().HaveMaxLength(40);
        configurationBuilder.Properties<Criticality>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Gateway.CategoryAction>().HaveConversion<string>().HaveMaxLength(10);
    }
}

public sealed class SqliteProvisoDbContext(DbContextOptions<SqliteProvisoDbContext> options) : ProvisoDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no offset-aware timestamp type; EF cannot order or compare DateTimeOffset stored as
        // text. Storing UTC ticks keeps ordering and range filters in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class PostgresProvisoDbContext(DbContextOptions<PostgresProvisoDbContext> options) : ProvisoDbContext(options);

internal sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
