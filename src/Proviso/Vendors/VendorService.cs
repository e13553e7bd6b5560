using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Hosting;

namespace Proviso.Vendors;

/// <summary>The vendor inventory's rules: validation, uniqueness, archiving. Used by the API, the UI and imports.</summary>
public sealed class VendorService(ProvisoDbContext db, TimeProvider time, Ledger.AuditTrail audit)
{
    public async Task<VendorPage> QueryAsync(VendorQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, VendorQuery.MaxPageSize);
        var page = Math.Max(1, query.Page);
        var q = db.Vendors.AsNoTracking();
        if (query.ArchivedOnly)
        {
            q = q.Where(v => v.IsArchived);
        }
        else if (!query.IncludeArchived)
        {
            q = q.Where(v => !v.IsArchived);
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
#pragma warning disable CA1304, CA1311, CA1862 // ToUpper() here is translated to SQL upper(), the same on SQLite and PostgreSQL.
            var s = query.Search.Trim().ToUpperInvariant();
            q = q.Where(v => v.NormalizedName.Contains(s)
                || (v.Website != null && v.Website.ToUpper().Contains(s))
                || (v.Owner != null && v.Owner.ToUpper().Contains(s))
                || (v.Description != null && v.Description.ToUpper().Contains(s)));
#pragma warning restore CA1304, CA1311, CA1862
        }
        if (query.Status is { } status)
        {
            q = q.Where(v => v.Status == status);
        }
        if (query.Risk is { } risk)
        {
            q = q.Where(v => v.RiskTier == risk);
        }
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim().ToLowerInvariant();
            q = q.Where(v => v.Tags.Contains(tag));
        }
        var total = await q.CountAsync(ct);
        q = (query.Sort, query.Descending) switch
        {
            (VendorSort.Status, false) => q.OrderBy(v => v.Status).ThenBy(v => v.NormalizedName),
            (VendorSort.Status, true) => q.OrderByDescending(v => v.Status).ThenBy(v => v.NormalizedName),
            (VendorSort.Risk, false) => q.OrderBy(v => v.RiskTier).ThenBy(v => v.NormalizedName),
            (VendorSort.Risk, true) => q.OrderByDescending(v => v.RiskTier).ThenBy(v => v.NormalizedName),
            (VendorSort.Modified, false) => q.OrderBy(v => v.ModifiedAt).ThenBy(v => v.Id),
            (VendorSort.Modified, true) => q.OrderByDescending(v => v.ModifiedAt).ThenBy(v => v.Id),
            (VendorSort.Created, false) => q.OrderBy(v => v.CreatedAt).ThenBy(v => v.Id),
            (VendorSort.Created, true) => q.OrderByDescending(v => v.CreatedAt).ThenBy(v => v.Id),
            (_, true) => q.OrderByDescending(v => v.NormalizedName),
            _ => q.OrderBy(v => v.NormalizedName),
        };
        var items = await q.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(v => new VendorSummary(v.Id, v.Name, v.Website, v.Owner, v.Status, v.RiskTier, v.Tags,
                v.Services.Count, v.IsArchived, v.ModifiedAt))
            .ToListAsync(ct);
        return new VendorPage(items, page, pageSize, total);
    }

    /// <summary>Dashboard counts, grouped in the database so they stay right however large the inventory grows.</summary>
    public async Task<InventoryStats> StatsAsync(CancellationToken ct = default)
    {
        var active = db.Vendors.AsNoTracking().Where(v => !v.IsArchived);
        var byRisk = await active.GroupBy(v => v.RiskTier).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byStatus = await active.GroupBy(v => v.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var services = await db.AiServices.AsNoTracking().CountAsync(s => active.Any(v => v.Id == s.VendorId), ct);
        var top = await QueryAsync(new VendorQuery { Sort = VendorSort.Risk, Descending = true, PageSize = 5 }, ct);
        var risk = Enum.GetValues<RiskTier>().ToDictionary(t => t, t => byRisk.FirstOrDefault(r => r.Key == t)?.Count ?? 0);
        var status = Enum.GetValues<VendorStatus>().ToDictionary(s => s, s => byStatus.FirstOrDefault(r => r.Key == s)?.Count ?? 0);
        return new InventoryStats(risk.Values.Sum(), services, risk[RiskTier.High] + risk[RiskTier.Critical], status[VendorStatus.UnderReview],
            top.Items, risk, status);
    }

    public async Task<VendorDetails?> GetAsync(Guid id, CancellationToken ct = default)
    {
        var vendor = await db.Vendors.AsNoTracking().Include(v => v.Services).FirstOrDefaultAsync(v => v.Id == id, ct);
        return vendor is null ? null : VendorDetails.From(vendor);
    }

    public async Task<Outcome<VendorDetails>> CreateAsync(VendorInput input, CancellationToken ct = default)
    {
        var outcome = await PrepareNewAsync(input, new HashSet<string>(StringComparer.Ordinal), ct);
        if (!outcome.IsOk)
        {
            return outcome.Cast<VendorDetails>();
        }
        db.Vendors.Add(outcome.Value!);
        return await SaveAsync(outcome.Value!, "vendor.created", ct);
    }

    /// <summary>
    /// Validates a new vendor without saving it. <paramref name="pendingNames"/> holds normalized names
    /// already claimed in the same batch, so an import can reject duplicates inside one file.
    /// </summary>
    public async Task<Outcome<Vendor>> PrepareNewAsync(VendorInput input, ISet<string> pendingNames, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pendingNames);
        var errors = new ValidationErrors();
        var vendor = new Vendor();
        Apply(vendor, input, errors);
        var services = input.Services ?? [];
        for (var i = 0; i < services.Count; i++)
        {
            var service = new AiService { VendorId = vendor.Id };
            ApplyService(service, services[i], errors, $"services[{i}].");
            vendor.Services.Add(service);
        }
        var duplicateService = vendor.Services.GroupBy(s => s.Name.ToUpperInvariant()).FirstOrDefault(g => g.Count() > 1 && g.Key.Length > 0);
        if (duplicateService is not null)
        {
            errors.Add("services", $"Service '{duplicateService.First().Name}' is listed twice.");
        }
        if (errors.Any)
        {
            return Outcome<Vendor>.Invalid(errors.ToDictionary());
        }
        var normalized = Vendor.Normalize(vendor.Name);
        if (pendingNames.Contains(normalized) || await db.Vendors.AnyAsync(v => v.NormalizedName == normalized, ct))
        {
            return Outcome<Vendor>.Conflict($"A vendor named '{vendor.Name}' already exists.");
        }
        pendingNames.Add(normalized);
        vendor.Refresh();
        return Outcome<Vendor>.Ok(vendor);
    }

    public async Task<Outcome<VendorDetails>> UpdateAsync(Guid id, VendorInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vendor = await db.Vendors.Include(v => v.Services).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (vendor is null)
        {
            return Outcome<VendorDetails>.NotFound($"Vendor {id} does not exist.");
        }
        if (input.Version is { } expected && expected != vendor.Version)
        {
            return Outcome<VendorDetails>.Conflict("Someone else changed this vendor since you opened it. Reload and apply your change again.");
        }
        var errors = new ValidationErrors();
        Apply(vendor, input, errors);
        if (errors.Any)
        {
            return Outcome<VendorDetails>.Invalid(errors.ToDictionary());
        }
        var normalized = Vendor.Normalize(vendor.Name);
        if (await db.Vendors.AnyAsync(v => v.NormalizedName == normalized && v.Id != id, ct))
        {
            return Outcome<VendorDetails>.Conflict($"A vendor named '{vendor.Name}' already exists.");
        }
        vendor.Refresh();
        return await SaveAsync(vendor, "vendor.updated", ct);
    }

    public async Task<Outcome<VendorDetails>> SetArchivedAsync(Guid id, bool archived, CancellationToken ct = default)
    {
        var vendor = await db.Vendors.Include(v => v.Services).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (vendor is null)
        {
            return Outcome<VendorDetails>.NotFound($"Vendor {id} does not exist.");
        }
        if (vendor.IsArchived != archived)
        {
            vendor.IsArchived = archived;
            vendor.ArchivedAt = archived ? time.GetUtcNow() : null;
            vendor.Refresh();
        }
        return await SaveAsync(vendor, archived ? "vendor.archived" : "vendor.restored", ct);
    }

    public async Task<Outcome<VendorDetails>> AddServiceAsync(Guid vendorId, ServiceInput input, CancellationToken ct = default) =>
        await ChangeServiceAsync(vendorId, null, input, ct);

    public async Task<Outcome<VendorDetails>> UpdateServiceAsync(Guid vendorId, Guid serviceId, ServiceInput input, CancellationToken ct = default) =>
        await ChangeServiceAsync(vendorId, serviceId, input, ct);

    public async Task<Outcome<VendorDetails>> RemoveServiceAsync(Guid vendorId, Guid serviceId, CancellationToken ct = default)
    {
        var vendor = await db.Vendors.Include(v => v.Services).FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        var service = vendor?.Services.FirstOrDefault(s => s.Id == serviceId);
        if (vendor is null || service is null)
        {
            return Outcome<VendorDetails>.NotFound($"Service {serviceId} of vendor {vendorId} does not exist.");
        }
        vendor.Services.Remove(service);
        db.AiServices.Remove(service);
        vendor.Refresh();
        return await SaveAsync(vendor, "vendor.service-removed", ct, service.Name);
    }

    private async Task<Outcome<VendorDetails>> ChangeServiceAsync(Guid vendorId, Guid? serviceId, ServiceInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vendor = await db.Vendors.Include(v => v.Services).FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        if (vendor is null)
        {
            return Outcome<VendorDetails>.NotFound($"Vendor {vendorId} does not exist.");
        }
        AiService? service;
        if (serviceId is null)
        {
            service = new AiService { VendorId = vendor.Id };
        }
        else
        {
            service = vendor.Services.FirstOrDefault(s => s.Id == serviceId);
            if (service is null)
            {
                return Outcome<VendorDetails>.NotFound($"Service {serviceId} of vendor {vendorId} does not exist.");
            }
        }
        var errors = new ValidationErrors();
        ApplyService(service, input, errors, "");
        if (errors.Any)
        {
            return Outcome<VendorDetails>.Invalid(errors.ToDictionary());
        }
        if (vendor.Services.Any(s => s.Id != service.Id && string.Equals(s.Name, service.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return Outcome<VendorDetails>.Conflict($"{vendor.Name} already has a service named '{service.Name}'.");
        }
        if (serviceId is null)
        {
            vendor.Services.Add(service);
            db.AiServices.Add(service);
        }
        vendor.Refresh();
        return await SaveAsync(vendor, serviceId is null ? "vendor.service-added" : "vendor.service-updated", ct, service.Name);
    }

    private async Task<Outcome<VendorDetails>> SaveAsync(Vendor vendor, string action, CancellationToken ct, string? serviceName = null)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome<VendorDetails>.Conflict("Someone else changed this vendor at the same time. Reload and apply your change again.");
        }
        catch (DbUpdateException)
        {
            // Two people creating the same name at once: the unique index decides; say so plainly.
            db.ChangeTracker.Clear();
            if (await NameTakenAsync(vendor, ct))
            {
                return Outcome<VendorDetails>.Conflict($"A vendor named '{vendor.Name}' already exists.");
            }
            throw;
        }
        await RecordAsync(vendor, action, serviceName, ct);
        return Outcome<VendorDetails>.Ok(VendorDetails.From(vendor));
    }

    /// <summary>Ledger entry for a vendor change: identifiers, status, risk and categories — no contact details.</summary>
    internal Task<long> RecordAsync(Vendor vendor, string action, string? serviceName, CancellationToken ct) =>
        audit.RecordAsync(action, "vendor", vendor.Id.ToString(), vendor.Name, new Dictionary<string, object?>
        {
            ["status"] = Taxonomy.Key(vendor.Status),
            ["riskTier"] = Taxonomy.Key(vendor.RiskTier),
            ["services"] = vendor.Services.Count,
            ["dataCategories"] = Taxonomy.Split(vendor.Services.Aggregate(DataCategory.None, (a, s) => a | s.DataCategories)).Select(Taxonomy.Key).ToArray(),
            ["service"] = serviceName,
        }, ct);

    private async Task<bool> NameTakenAsync(Vendor vendor, CancellationToken ct)
    {
        var normalized = vendor.NormalizedName;
        var id = vendor.Id;
        return await db.Vendors.AsNoTracking().AnyAsync(v => v.NormalizedName == normalized && v.Id != id, ct);
    }

    internal static void Apply(Vendor vendor, VendorInput input, ValidationErrors errors)
    {
        vendor.Name = errors.Text("name", input.Name, Vendor.NameMax, required: true, label: "Name") ?? "";
        vendor.Website = errors.Text("website", input.Website, Vendor.WebsiteMax, label: "Website");
        if (vendor.Website is not null && !vendor.Website.Contains("://", StringComparison.Ordinal))
        {
            // People type "acme.com"; store what they meant.
            vendor.Website = "https://" + vendor.Website;
        }
        if (vendor.Website is not null && !IsWebUrl(vendor.Website))
        {
            errors.Add("website", $"Website '{vendor.Website}' is not an http(s) address.");
        }
        vendor.Description = errors.Text("description", input.Description, Vendor.DescriptionMax, label: "Description");
        vendor.Owner = errors.Text("owner", input.Owner, Vendor.OwnerMax, label: "Owner");
        if (input.Status is { } status)
        {
            if (!Enum.IsDefined(status))
            {
                errors.Add("status", $"Unknown status. Allowed: {Taxonomy.AllowedValues<VendorStatus>()}.");
            }
            vendor.Status = status;
        }
        var tags = new List<string>();
        foreach (var (tag, i) in (input.Tags ?? []).Select((t, i) => (t, i)))
        {
            var t = errors.Text($"tags[{i}]", tag, Vendor.TagMax, label: "Tag")?.ToLowerInvariant();
            if (t is not null && !tags.Contains(t))
            {
                tags.Add(t);
            }
        }
        if (tags.Count > Vendor.MaxTags)
        {
            errors.Add("tags", $"At most {Vendor.MaxTags} tags.");
        }
        vendor.Tags = tags;
        var contacts = input.Contacts ?? [];
        if (contacts.Count > Vendor.MaxContacts)
        {
            errors.Add("contacts", $"At most {Vendor.MaxContacts} contacts.");
        }
        vendor.Contacts = contacts.Select((c, i) =>
        {
            var contact = new VendorContact
            {
                Name = errors.Text($"contacts[{i}].name", c.Name, VendorContact.FieldMax, required: true, label: "Contact name") ?? "",
                Email = errors.Text($"contacts[{i}].email", c.Email, VendorContact.FieldMax, label: "Contact e-mail"),
                Role = errors.Text($"contacts[{i}].role", c.Role, VendorContact.FieldMax, label: "Contact role"),
                Phone = errors.Text($"contacts[{i}].phone", c.Phone, VendorContact.FieldMax, label: "Contact phone"),
            };
            if (contact.Email is not null && !MailAddress.TryCreate(contact.Email, out _))
            {
                errors.Add($"contacts[{i}].email", $"'{contact.Email}' is not an e-mail address.");
            }
            return contact;
        }).ToList();
    }

    internal static void ApplyService(AiService service, ServiceInput input, ValidationErrors errors, string prefix)
    {
        service.Name = errors.Text(prefix + "name", input.Name, AiService.NameMax, required: true, label: "Service name") ?? "";
        service.Purpose = errors.Text(prefix + "purpose", input.Purpose, AiService.PurposeMax, label: "Purpose");
        service.Model = errors.Text(prefix + "model", input.Model, AiService.ModelMax, label: "Model");
        var categories = DataCategory.None;
        foreach (var c in input.DataCategories ?? [])
        {
            if (c == DataCategory.None || !Taxonomy.AllCategories.Contains(c))
            {
                errors.Add(prefix + "dataCategories", $"Unknown data category. Allowed: {Taxonomy.AllowedValues<DataCategory>()}.");
                continue;
            }
            categories |= c;
        }
        service.DataCategories = categories;
        if (input.Criticality is { } criticality)
        {
            if (!Enum.IsDefined(criticality))
            {
                errors.Add(prefix + "criticality", $"Unknown criticality. Allowed: {Taxonomy.AllowedValues<Criticality>()}.");
            }
            service.Criticality = criticality;
        }
        if (input.MonthlyRecords is < 0)
        {
            errors.Add(prefix + "monthlyRecords", "Monthly records cannot be negative.");
        }
        service.MonthlyRecords = input.MonthlyRecords;
        var endpoints = input.Endpoints ?? [];
        if (endpoints.Count > AiService.MaxEndpoints)
        {
            errors.Add(prefix + "endpoints", $"At most {AiService.MaxEndpoints} endpoints.");
        }
        service.Endpoints = endpoints.Select((e, i) =>
        {
            var url = errors.Text($"{prefix}endpoints[{i}].url", e.Url, ServiceEndpoint.UrlMax, required: true, label: "Endpoint URL") ?? "";
            if (url.Length > 0 && !IsWebUrl(url))
            {
                errors.Add($"{prefix}endpoints[{i}].url", $"Endpoint '{url}' is not an http(s) URL.");
            }
            var region = errors.Text($"{prefix}endpoints[{i}].region", e.Region, ServiceEndpoint.RegionMax, label: "Region");
            return new ServiceEndpoint { Url = url, Region = region };
        }).ToList();
    }

    private static bool IsWebUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0;
}
