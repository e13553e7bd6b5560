using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Hosting;

namespace Proviso.Vendors;

public enum ImportMode
{
    /// <summary>Any invalid row rejects the whole file; nothing is saved.</summary>
    AllOrNothing,

    /// <summary>Vendors whose rows are all valid are saved; the others are reported.</summary>
    ValidOnly,
}

public sealed record ImportRowReport(int Line, string? Vendor, string? Service, bool Ok, IReadOnlyList<string> Errors);

public sealed record ImportReport(
    ImportMode Mode,
    bool DryRun,
    bool Committed,
    int VendorsCreated,
    int ServicesCreated,
    int RowsRead,
    int RowsRejected,
    IReadOnlyList<string> FileErrors,
    IReadOnlyList<ImportRowReport> Rows)
{
    public bool HasErrors => FileErrors.Count > 0 || RowsRejected > 0;

    public static ImportReport FileError(ImportMode mode, bool dryRun, string error) =>
        new(mode, dryRun, false, 0, 0, 0, 0, [error], []);
}

/// <summary>
/// Imports and exports the inventory as one row per vendor service (a vendor without services is one
/// row with empty service columns). Vendor columns repeat on each of its rows.
/// </summary>
public sealed class VendorTransfer(ProvisoDbContext db, VendorService vendors, Ledger.AuditTrail audit)
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "name", "website", "status", "owner", "tags", "description",
        "contact_name", "contact_email", "contact_role",
        "service", "purpose", "model", "data_categories", "criticality", "monthly_records", "endpoints",
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["vendor"] = "name",
        ["vendor_name"] = "name",
        ["service_name"] = "service",
        ["categories"] = "data_categories",
        ["model_provider"] = "model",
    };

    public async Task<ImportReport> ImportAsync(TableFile table, ImportMode mode, bool dryRun, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var fileErrors = new List<string>();
        for (var i = 0; i < table.Header.Count; i++)
        {
            var raw = table.Header[i].Trim().TrimStart('\uFEFF');
            var key = raw.ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
            key = Aliases.GetValueOrDefault(key, key);
            if (key.Length == 0)
            {
                continue;
            }
            if (!Columns.Contains(key))
            {
                fileErrors.Add($"Unknown column '{raw}'. Known columns: {string.Join(", ", Columns)}.");
            }
            else if (!columnIndex.TryAdd(key, i))
            {
                fileErrors.Add($"Column '{raw}' appears twice.");
            }
        }
        if (!columnIndex.ContainsKey("name"))
        {
            fileErrors.Add("The header has no 'name' column.");
        }
        if (table.Rows.Count == 0)
        {
            fileErrors.Add("The file has a header but no data rows.");
        }
        if (fileErrors.Count > 0)
        {
            return new ImportReport(mode, dryRun, false, 0, 0, table.Rows.Count, table.Rows.Count, fileErrors, []);
        }

        var rowReports = new Dictionary<int, (string? Vendor, string? Service, List<string> Errors)>();
        var groups = new List<VendorGroup>();
        var byName = new Dictionary<string, VendorGroup>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            string Get(string column) => columnIndex.TryGetValue(column, out var i) && i < row.Cells.Count ? row.Cells[i].Trim() : "";
            var errors = new List<string>();
            if (row.Cells.Count > table.Header.Count && row.Cells.Skip(table.Header.Count).Any(c => !string.IsNullOrWhiteSpace(c)))
            {
                errors.Add($"Row has {row.Cells.Count} cells but the header has {table.Header.Count} columns.");
            }
            var name = Get("name");
            var service = Get("service");
            rowReports[row.Line] = (name.Length > 0 ? name : null, service.Length > 0 ? service : null, errors);
            if (name.Length == 0)
            {
                errors.Add("Name is required.");
                continue;
            }
            var key = Vendor.Normalize(name);
            if (!byName.TryGetValue(key, out var group))
            {
                group = new VendorGroup(name);
                byName[key] = group;
                groups.Add(group);
            }
            group.Lines.Add(row.Line);
            ReadVendorFields(group, row.Line, Get, errors);
            if (service.Length > 0)
            {
                group.Services.Add((row.Line, ReadService(service, Get, errors)));
            }
        }

        var prepared = new List<(VendorGroup Group, Vendor Vendor)>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (group.Lines.Any(l => rowReports[l].Errors.Count > 0))
            {
                foreach (var line in group.Lines.Where(l => rowReports[l].Errors.Count == 0))
                {
                    rowReports[line].Errors.Add("Another row of this vendor has errors.");
                }
                continue;
            }
            var input = group.ToInput();
            var outcome = await vendors.PrepareNewAsync(input, claimed, ct);
            if (outcome.IsOk)
            {
                prepared.Add((group, outcome.Value!));
                continue;
            }
            if (outcome.Kind == OutcomeKind.Conflict)
            {
                foreach (var line in group.Lines)
                {
                    rowReports[line].Errors.Add(outcome.Message!);
                }
                continue;
            }
            foreach (var (field, messages) in outcome.Errors!)
            {
                var line = LineFor(group, field);
                foreach (var line2 in line is null ? group.Lines : [line.Value])
                {
                    rowReports[line2].Errors.AddRange(messages);
                }
            }
        }

        var reports = table.Rows.Select(r =>
        {
            var (vendor, service, errors) = rowReports[r.Line];
            return new ImportRowReport(r.Line, vendor, service, errors.Count == 0, errors);
        }).ToList();
        var rejected = reports.Count(r => !r.Ok);
        var commit = !dryRun && prepared.Count > 0 && (mode == ImportMode.ValidOnly || rejected == 0);
        if (commit)
        {
            // One transaction: either every prepared vendor lands or none does.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Vendors.AddRange(prepared.Select(p => p.Vendor));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            foreach (var (_, vendor) in prepared)
            {
                await vendors.RecordAsync(vendor, "vendor.created", null, ct);
            }
            await audit.RecordAsync("vendor.imported", "import", Guid.NewGuid().ToString(), null, new Dictionary<string, object?>
            {
                ["mode"] = Taxonomy.Key(mode),
                ["vendorsCreated"] = prepared.Count,
                ["rowsRead"] = table.Rows.Count,
                ["rowsRejected"] = rejected,
            }, ct);
        }
        var vendorsCreated = commit || (dryRun && (mode == ImportMode.ValidOnly || rejected == 0)) ? prepared.Count : 0;
        var servicesCreated = vendorsCreated > 0 ? prepared.Sum(p => p.Vendor.Services.Count) : 0;
        return new ImportReport(mode, dryRun, commit, vendorsCreated, servicesCreated, table.Rows.Count, rejected, [], reports);
    }

    public async Task<List<IReadOnlyList<string?>>> ExportRowsAsync(VendorQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = db.Vendors.AsNoTracking().Include(v => v.Services).AsQueryable();
        if (!query.IncludeArchived)
        {
            q = q.Where(v => !v.IsArchived);
        }
        if (query.Status is { } status)
        {
            q = q.Where(v => v.Status == status);
        }
        if (query.Risk is { } risk)
        {
            q = q.Where(v => v.RiskTier == risk);
        }
        var list = await q.OrderBy(v => v.NormalizedName).ToListAsync(ct);
        var rows = new List<IReadOnlyList<string?>>();
        foreach (var v in list)
        {
            var contact = v.Contacts.FirstOrDefault();
            string?[] VendorCells() =>
            [
                v.Name, v.Website, Taxonomy.Key(v.Status), v.Owner, string.Join(";", v.Tags), v.Description,
                contact?.Name, contact?.Email, contact?.Role,
            ];
            if (v.Services.Count == 0)
            {
                rows.Add([.. VendorCells(), null, null, null, null, null, null, null]);
                continue;
            }
            foreach (var s in v.Services.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase))
            {
                rows.Add(
                [
                    .. VendorCells(), s.Name, s.Purpose, s.Model, Taxonomy.FormatCategories(s.DataCategories),
                    Taxonomy.Key(s.Criticality), s.MonthlyRecords?.ToString(CultureInfo.InvariantCulture),
                    string.Join("; ", s.Endpoints.Select(e => e.Region is null ? e.Url : $"{e.Url}|{e.Region}")),
                ]);
            }
        }
        return rows;
    }

    private static int? LineFor(VendorGroup group, string field)
    {
        // "services[2].name" belongs to the row that declared the third service; vendor fields to the first row.
        if (field.StartsWith("services[", StringComparison.Ordinal))
        {
            var end = field.IndexOf(']', StringComparison.Ordinal);
            if (end > 9 && int.TryParse(field.AsSpan(9, end - 9), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i < group.Services.Count)
            {
                return group.Services[i].Line;
            }
        }
        return group.FieldLines.GetValueOrDefault(field.Split('[', '.')[0], group.Lines[0]);
    }

    private static void ReadVendorFields(VendorGroup group, int line, Func<string, string> get, List<string> errors)
    {
        void Set(string column, string value)
        {
            if (value.Length == 0)
            {
                return;
            }
            if (group.Fields.TryGetValue(column, out var existing))
            {
                if (!string.Equals(existing, value, StringComparison.Ordinal))
                {
                    errors.Add($"Column '{column}' is '{value}' here but '{existing}' on line {group.FieldLines[column]} for the same vendor.");
                }
                return;
            }
            group.Fields[column] = value;
            group.FieldLines[column] = line;
        }
        foreach (var column in new[] { "website", "owner", "description", "tags" })
        {
            Set(column, get(column));
        }
        var status = get("status");
        if (status.Length > 0 && !Taxonomy.TryParse<VendorStatus>(status, out _))
        {
            errors.Add($"Unknown status '{status}'. Allowed: {Taxonomy.AllowedValues<VendorStatus>()}.");
        }
        Set("status", status);
        var contactName = get("contact_name");
        var contactEmail = get("contact_email");
        if (contactName.Length > 0 || contactEmail.Length > 0)
        {
            var contact = new ContactInput(contactName.Length > 0 ? contactName : contactEmail, contactEmail.Length > 0 ? contactEmail : null, NullIfEmpty(get("contact_role")));
            if (!group.Contacts.Contains(contact))
            {
                group.Contacts.Add(contact);
                group.FieldLines.TryAdd("contacts", line);
            }
        }
    }

    private static ServiceInput ReadService(string name, Func<string, string> get, List<string> errors)
    {
        if (!Taxonomy.TryParseCategories(get("data_categories"), out var categories, out var unknown))
        {
            errors.Add($"Unknown data category '{unknown}'. Allowed: {Taxonomy.AllowedValues<DataCategory>()}.");
        }
        Criticality? criticality = null;
        var c = get("criticality");
        if (c.Length > 0)
        {
            if (Taxonomy.TryParse<Criticality>(c, out var parsed))
            {
                criticality = parsed;
            }
            else
            {
                errors.Add($"Unknown criticality '{c}'. Allowed: {Taxonomy.AllowedValues<Criticality>()}.");
            }
        }
        long? records = null;
        var r = get("monthly_records").Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (r.Length > 0)
        {
            if (long.TryParse(r, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                records = n;
            }
            else
            {
                errors.Add($"Monthly records '{get("monthly_records")}' is not a whole number.");
            }
        }
        var endpoints = get("endpoints")
            .Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e =>
            {
                var bar = e.LastIndexOf('|');
                return bar < 0 ? new EndpointInput(e, null) : new EndpointInput(e[..bar].Trim(), NullIfEmpty(e[(bar + 1)..].Trim()));
            })
            .ToList();
        return new ServiceInput
        {
            Name = name,
            Purpose = NullIfEmpty(get("purpose")),
            Model = NullIfEmpty(get("model")),
            DataCategories = [.. Taxonomy.Split(categories)],
            Criticality = criticality,
            MonthlyRecords = records,
            Endpoints = endpoints,
        };
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private sealed class VendorGroup(string name)
    {
        public string Name { get; } = name;
        public List<int> Lines { get; } = [];
        public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> FieldLines { get; } = new(StringComparer.Ordinal);
        public List<ContactInput> Contacts { get; } = [];
        public List<(int Line, ServiceInput Service)> Services { get; } = [];

        public VendorInput ToInput() => new()
        {
            Name = Name,
            Website = Fields.GetValueOrDefault("website"),
            Owner = Fields.GetValueOrDefault("owner"),
            Description = Fields.GetValueOrDefault("description"),
            Status = Fields.TryGetValue("status", out var s) && Taxonomy.TryParse<VendorStatus>(s, out var status) ? status : null,
            Tags = Fields.TryGetValue("tags", out var t)
                ? [.. t.Split([';', ',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : [],
            Contacts = Contacts,
            Services = [.. Services.Select(x => x.Service)],
        };
    }
}
