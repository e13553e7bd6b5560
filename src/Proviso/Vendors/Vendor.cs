using Proviso.Data;

namespace Proviso.Vendors;

/// <summary>A company the organization buys an AI-enabled product or service from.</summary>
public sealed class Vendor : IAuditable
{
    public const int NameMax = 200;
    public const int WebsiteMax = 500;
    public const int OwnerMax = 200;
    public const int DescriptionMax = 4000;
    public const int TagMax = 50;
    public const int MaxTags = 20;
    public const int MaxContacts = 20;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";

    /// <summary>Upper-cased name used for the uniqueness index, so "Acme" and "ACME" collide on every provider.</summary>
    public string NormalizedName { get; private set; } = "";

    public string? Website { get; set; }
    public string? Description { get; set; }
    public string? Owner { get; set; }
    public VendorStatus Status { get; set; } = VendorStatus.Prospect;
    public List<string> Tags { get; set; } = [];
    public List<VendorContact> Contacts { get; set; } = [];
    public List<AiService> Services { get; set; } = [];

    /// <summary>Highest inherent risk of the vendor's services; kept on the row so lists filter and sort by it.</summary>
    public RiskTier RiskTier { get; private set; }

    public bool IsArchived { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }

    /// <summary>Concurrency token: two people editing the same vendor cannot silently overwrite each other.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public static string Normalize(string name) => name.Trim().ToUpperInvariant();

    /// <summary>Keeps derived columns (normalized name, risk tier) in step with the data they come from.</summary>
    public void Refresh()
    {
        Name = Name.Trim();
        NormalizedName = Normalize(Name);
        RiskTier = RiskCalculator.ForVendor(this).Tier;
        Version = Guid.NewGuid();
    }
}

public sealed class VendorContact
{
    public const int FieldMax = 200;

    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Role { get; set; }
    public string? Phone { get; set; }
}

/// <summary>An AI-enabled service a vendor provides, and what the organization shares with it.</summary>
public sealed class AiService : IAuditable
{
    public const int NameMax = 200;
    public const int PurposeMax = 2000;
    public const int ModelMax = 200;
    public const int MaxEndpoints = 20;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VendorId { get; set; }
    public string Name { get; set; } = "";
    public string? Purpose { get; set; }

    /// <summary>Model and provider behind the service, e.g. "GPT-4o via Azure OpenAI".</summary>
    public string? Model { get; set; }

    public List<ServiceEndpoint> Endpoints { get; set; } = [];
    public DataCategory DataCategories { get; set; }
    public Criticality Criticality { get; set; } = Criticality.Medium;

    /// <summary>Approximate records shared per month.</summary>
    public long? MonthlyRecords { get; set; }

    /// <summary>How the egress gateway routes and guards calls to this service.</summary>
    public Gateway.GatewayPolicy Gateway { get; set; } = new();

    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ModifiedBy { get; set; }
}

public sealed class ServiceEndpoint
{
    public const int UrlMax = 500;
    public const int RegionMax = 50;

    public string Url { get; set; } = "";

    /// <summary>Where the endpoint processes data, e.g. "eu-west-1", "EU", "US".</summary>
    public string? Region { get; set; }
}
