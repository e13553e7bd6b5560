namespace Proviso.Vendors;

/// <summary>What a client sends to create or update a vendor.</summary>
public sealed record VendorInput
{
    public string? Name { get; init; }
    public string? Website { get; init; }
    public string? Description { get; init; }
    public string? Owner { get; init; }
    public VendorStatus? Status { get; init; }
    public List<string>? Tags { get; init; }
    public List<ContactInput>? Contacts { get; init; }

    /// <summary>Only read on create; services are changed through their own endpoints afterwards.</summary>
    public List<ServiceInput>? Services { get; init; }

    /// <summary>On update: the version the client last saw. A mismatch is a conflict, not a silent overwrite.</summary>
    public Guid? Version { get; init; }
}

public sealed record ContactInput(string? Name, string? Email, string? Role = null, string? Phone = null);

public sealed record ServiceInput
{
    public string? Name { get; init; }
    public string? Purpose { get; init; }
    public string? Model { get; init; }
    public List<EndpointInput>? Endpoints { get; init; }
    public List<DataCategory>? DataCategories { get; init; }
    public Criticality? Criticality { get; init; }
    public long? MonthlyRecords { get; init; }
}

public sealed record EndpointInput(string? Url, string? Region);

public sealed record VendorSummary(
    Guid Id,
    string Name,
    string? Website,
    string? Owner,
    VendorStatus Status,
    RiskTier RiskTier,
    IReadOnlyList<string> Tags,
    int ServiceCount,
    bool IsArchived,
    DateTimeOffset ModifiedAt);

public sealed record VendorDetails(
    Guid Id,
    string Name,
    string? Website,
    string? Description,
    string? Owner,
    VendorStatus Status,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ContactInput> Contacts,
    IReadOnlyList<ServiceDetails> Services,
    RiskAssessment Risk,
    bool IsArchived,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset ModifiedAt,
    string? ModifiedBy,
    Guid Version)
{
    public static VendorDetails From(Vendor v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new VendorDetails(v.Id, v.Name, v.Website, v.Description, v.Owner, v.Status, v.Tags,
            v.Contacts.Select(c => new ContactInput(c.Name, c.Email, c.Role, c.Phone)).ToList(),
            v.Services.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(ServiceDetails.From).ToList(),
            RiskCalculator.ForVendor(v), v.IsArchived, v.ArchivedAt, v.CreatedAt, v.CreatedBy, v.ModifiedAt, v.ModifiedBy, v.Version);
    }
}

public sealed record ServiceDetails(
    Guid Id,
    string Name,
    string? Purpose,
    string? Model,
    IReadOnlyList<EndpointInput> Endpoints,
    IReadOnlyList<DataCategory> DataCategories,
    Criticality Criticality,
    long? MonthlyRecords,
    RiskAssessment Risk)
{
    public static ServiceDetails From(AiService s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new ServiceDetails(s.Id, s.Name, s.Purpose, s.Model,
            s.Endpoints.Select(e => new EndpointInput(e.Url, e.Region)).ToList(),
            Taxonomy.Split(s.DataCategories).ToList(), s.Criticality, s.MonthlyRecords, RiskCalculator.ForService(s));
    }

    public ServiceInput ToInput() => new()
    {
        Name = Name,
        Purpose = Purpose,
        Model = Model,
        Endpoints = [.. Endpoints],
        DataCategories = [.. DataCategories],
        Criticality = Criticality,
        MonthlyRecords = MonthlyRecords,
    };
}

public enum VendorSort
{
    Name,
    Status,
    Risk,
    Modified,
    Created,
}

public sealed record VendorQuery
{
    public const int MaxPageSize = 200;

    public string? Search { get; init; }
    public VendorStatus? Status { get; init; }
    public RiskTier? Risk { get; init; }
    public string? Tag { get; init; }
    public bool IncludeArchived { get; init; }
    public bool ArchivedOnly { get; init; }
    public VendorSort Sort { get; init; } = VendorSort.Name;
    public bool Descending { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 25;
}

public sealed record VendorPage(IReadOnlyList<VendorSummary> Items, int PageNumber, int PageSize, int Total);

/// <summary>Counts over active (not archived) vendors for the dashboard.</summary>
public sealed record InventoryStats(
    int Vendors,
    int Services,
    int HighRisk,
    int UnderReview,
    IReadOnlyList<VendorSummary> Top,
    IReadOnlyDictionary<RiskTier, int> ByRisk,
    IReadOnlyDictionary<VendorStatus, int> ByStatus);
