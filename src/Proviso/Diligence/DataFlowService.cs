using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Diligence.Flows;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Vendors;

namespace Proviso.Diligence;

public sealed record DataFlowInput(Guid ServiceId, string? InternalSystem, IReadOnlyList<string>? Categories, string? Region,
    IReadOnlyList<string>? SubProcessors, string? Purpose);

public sealed record DataFlowView(Guid Id, Guid VendorId, Guid ServiceId, string ServiceName, string InternalSystem, IReadOnlyList<string> Categories,
    string? Region, IReadOnlyList<string> SubProcessors, string? Purpose);

/// <summary>Declared data flows per vendor, checked against what each service is declared to receive, and drawn as SVG.</summary>
public sealed class DataFlowService(ProvisoDbContext db, AuditTrail audit)
{
    public const int MaxSubProcessors = 30;

    public async Task<IReadOnlyList<DataFlowView>> ListAsync(Guid vendorId, CancellationToken ct = default)
    {
        var services = await db.AiServices.AsNoTracking().Where(s => s.VendorId == vendorId).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return (await db.DataFlows.AsNoTracking().Where(f => f.VendorId == vendorId).ToListAsync(ct))
            .OrderBy(f => f.CreatedAt).Select(f => View(f, services.GetValueOrDefault(f.ServiceId, "?"))).ToList();
    }

    public async Task<Outcome<DataFlowView>> SaveAsync(Guid vendorId, Guid? id, DataFlowInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vendor = await db.Vendors.AsNoTracking().Include(v => v.Services).FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        if (vendor is null)
        {
            return Outcome<DataFlowView>.NotFound($"Vendor {vendorId} does not exist.");
        }
        var row = id is { } existing ? await db.DataFlows.FirstOrDefaultAsync(f => f.Id == existing && f.VendorId == vendorId, ct) : new DataFlowRow { VendorId = vendorId };
        if (row is null)
        {
            return Outcome<DataFlowView>.NotFound($"Data flow {id} does not exist for this vendor.");
        }
        var errors = new ValidationErrors();
        var service = vendor.Services.FirstOrDefault(s => s.Id == input.ServiceId);
        if (service is null)
        {
            errors.Add("serviceId", "Choose one of the vendor's AI services.");
        }
        row.InternalSystem = errors.Text("internalSystem", input.InternalSystem, DataFlowRow.TextMax, required: true, label: "Internal system") ?? "";
        row.Region = errors.Text("region", input.Region, DataFlowRow.TextMax, label: "Region");
        row.Purpose = errors.Text("purpose", input.Purpose, DataFlowRow.TextMax, label: "Purpose");
        var categories = DataCategory.None;
        foreach (var key in input.Categories ?? [])
        {
            var match = Taxonomy.AllCategories.FirstOrDefault(c => Taxonomy.Key(c) == key?.Trim().ToLowerInvariant());
            if (match == DataCategory.None)
            {
                errors.Add("categories", $"Unknown data category '{key}'.");
            }
            else if (service is not null && !service.DataCategories.HasFlag(match))
            {
                errors.Add("categories", $"{Taxonomy.Label(match)} is not declared for {service.Name}; add it to the service first so its risk counts it.");
            }
            categories |= match;
        }
        var subs = (input.SubProcessors ?? []).Select((s, i) => errors.Text($"subProcessors[{i}]", s, DataFlowRow.TextMax, label: "Sub-processor"))
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (subs.Count > MaxSubProcessors)
        {
            errors.Add("subProcessors", $"At most {MaxSubProcessors} sub-processors per flow.");
        }
        if (errors.Any)
        {
            return Outcome<DataFlowView>.Invalid(errors.ToDictionary());
        }
        row.ServiceId = service!.Id;
        row.Categories = categories;
        row.SubProcessors = subs;
        if (id is null)
        {
            db.Add(row);
        }
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(id is null ? "dataflow.declared" : "dataflow.updated", "dataflow", row.Id.ToString(), vendor.Name, new Dictionary<string, object?>
        {
            ["system"] = row.InternalSystem, ["service"] = service.Name, ["region"] = row.Region,
            ["categories"] = Taxonomy.Split(categories).Select(c => (object?)Taxonomy.Key(c)).ToList(),
            ["sub_processors"] = subs.Select(s => (object?)s).ToList(),
        }, ct);
        return Outcome<DataFlowView>.Ok(View(row, service.Name));
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid vendorId, Guid id, CancellationToken ct = default)
    {
        var row = await db.DataFlows.FirstOrDefaultAsync(f => f.Id == id && f.VendorId == vendorId, ct);
        if (row is null)
        {
            return Outcome<bool>.NotFound($"Data flow {id} does not exist for this vendor.");
        }
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == vendorId).Select(v => v.Name).FirstAsync(ct);
        await audit.RecordAsync("dataflow.removed", "dataflow", id.ToString(), vendor, null, ct);
        return Outcome<bool>.Ok(true);
    }

    public async Task<string?> SvgAsync(Guid vendorId, CancellationToken ct = default)
    {
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == vendorId).Select(v => v.Name).FirstOrDefaultAsync(ct);
        if (vendor is null)
        {
            return null;
        }
        var flows = await ListAsync(vendorId, ct);
        return DataFlowDiagram.Render($"Data flows to {vendor}", flows.Select(f => new DataFlow(
            f.InternalSystem, f.Categories.Select(k => Taxonomy.Label(Taxonomy.AllCategories.First(c => Taxonomy.Key(c) == k))).ToList(),
            f.ServiceName, f.Region, f.SubProcessors)).ToList());
    }

    private static DataFlowView View(DataFlowRow f, string service) =>
        new(f.Id, f.VendorId, f.ServiceId, service, f.InternalSystem, Taxonomy.Split(f.Categories).Select(Taxonomy.Key).ToList(), f.Region, f.SubProcessors, f.Purpose);
}
