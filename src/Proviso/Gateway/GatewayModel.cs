using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Proviso.Vendors;

namespace Proviso.Gateway;

/// <summary>What the gateway does with a data category found in a request.</summary>
public enum CategoryAction
{
    Allow,
    Mask,
    Block,
}

public sealed class CategoryRule
{
    public DataCategory Category { get; set; }
    public CategoryAction Action { get; set; }
}

/// <summary>
/// A vendor service's gateway policy: which model names reach it, through which allow-listed
/// endpoint, until when the contract allows sharing, and what happens to each data category.
/// </summary>
public sealed class GatewayPolicy
{
    public bool Enabled { get; set; }

    /// <summary>Model names callers use; the first is sent upstream unless <see cref="UpstreamModel"/> is set.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Model name the vendor expects, when it differs from what callers use.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>Base URL (e.g. https://api.vendor.example/v1); must be one of the service's endpoints.</summary>
    public string? UpstreamBaseUrl { get; set; }

    /// <summary>Regions data may go to; empty means any region the service declares.</summary>
    public List<string> AllowedRegions { get; set; } = [];

    public DateTimeOffset? ContractExpiresAt { get; set; }

    /// <summary>
    /// Name of the vendor credential sent upstream, looked up under <c>Proviso:Gateway:Credentials:{name}</c>.
    /// The secret stays in configuration or the environment (a secret manager), never in the database.
    /// </summary>
    public string? UpstreamCredential { get; set; }

    /// <summary>Header carrying the credential: <c>Authorization</c> (sent as "Bearer …", the default) or e.g. <c>x-api-key</c>, <c>api-key</c> (sent as is).</summary>
    public string? UpstreamAuthHeader { get; set; }

    /// <summary>Per category action; categories not listed are masked.</summary>
    public List<CategoryRule> Categories { get; set; } = [];

    public CategoryAction ActionFor(DataCategory category) =>
        Categories.FirstOrDefault(c => c.Category == category)?.Action ?? CategoryAction.Mask;
}

/// <summary>An internal application allowed to call AI vendors through the gateway.</summary>
public sealed class GatewayApplication
{
    public const string Prefix = "pgw_";

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public string Hint { get; set; } = "";
    public byte[] KeyHash { get; set; } = [];

    /// <summary>Vendor services (AiService ids) this application may call.</summary>
    public List<Guid> ServiceIds { get; set; } = [];

    public int RequestsPerMinute { get; set; } = 600;
    public int DailyQuota { get; set; } = 100_000;
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}

internal sealed class GatewayApplicationConfiguration : IEntityTypeConfiguration<GatewayApplication>
{
    public void Configure(EntityTypeBuilder<GatewayApplication> b)
    {
        b.ToTable("gateway_applications");
        b.HasKey(a => a.Id);
        b.Property(a => a.Name).HasMaxLength(100).IsRequired();
        b.Property(a => a.Hint).HasMaxLength(16);
        b.Property(a => a.KeyHash).HasMaxLength(32).IsRequired();
        b.HasIndex(a => a.KeyHash).IsUnique();
        b.Property(a => a.CreatedBy).HasMaxLength(256);
    }
}
