using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Vendors;

namespace Proviso.Gateway;

public sealed record GatewayActivity(DateTimeOffset Time, string Action, string? Application, string? Vendor, string? Service, string? Rule, IReadOnlyDictionary<string, int> Categories);

public sealed record GatewayOverview(
    int Calls,
    int Blocked,
    IReadOnlyDictionary<string, int> CallsByVendor,
    IReadOnlyDictionary<string, int> CallsByApplication,
    IReadOnlyDictionary<string, int> Categories,
    IReadOnlyList<GatewayActivity> LatestBlocked);

/// <summary>Application keys, service policies and the gateway's activity, for the API and the UI.</summary>
public sealed class GatewayAdmin(ProvisoDbContext db, GatewayCatalog catalog, AuditTrail audit, TimeProvider time, Microsoft.Extensions.Options.IOptions<GatewayOptions> gatewayOptions)
{
    public async Task<IReadOnlyList<GatewayApplicationView>> ApplicationsAsync(CancellationToken ct = default) =>
        (await db.GatewayApplications.AsNoTracking().ToListAsync(ct)).OrderBy(a => a.Name).Select(View).ToList();

    public async Task<Outcome<CreatedGatewayApplication>> CreateApplicationAsync(GatewayApplicationInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new ValidationErrors();
        var name = errors.Text("name", input.Name, 100, required: true, label: "Name");
        var ids = input.ServiceIds ?? [];
        var known = await db.AiServices.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        foreach (var missing in ids.Except(known))
        {
            errors.Add("serviceIds", $"Vendor service {missing} does not exist.");
        }
        if (ids.Count == 0)
        {
            errors.Add("serviceIds", "Choose at least one vendor service the application may call.");
        }
        if (input.RequestsPerMinute is < 1 or > 1_000_000 || input.DailyQuota is < 1 or > 100_000_000)
        {
            errors.Add("limits", "Limits must be positive.");
        }
        if (errors.Any)
        {
            return Outcome<CreatedGatewayApplication>.Invalid(errors.ToDictionary());
        }
        var secret = GatewayApplication.NewSecret();
        var application = new GatewayApplication
        {
            Name = name!,
            Hint = secret[..10],
            KeyHash = GatewayApplication.HashOf(secret),
            ServiceIds = [.. ids.Distinct()],
            RequestsPerMinute = input.RequestsPerMinute ?? 600,
            DailyQuota = input.DailyQuota ?? 100_000,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = db.Actor,
        };
        db.GatewayApplications.Add(application);
        await db.SaveChangesAsync(ct);
        catalog.Invalidate();
        await audit.RecordAsync("gateway-application.created", "gateway-application", application.Id.ToString(), null,
            new Dictionary<string, object?> { ["name"] = application.Name, ["services"] = application.ServiceIds.Count }, ct);
        return Outcome<CreatedGatewayApplication>.Ok(new CreatedGatewayApplication(View(application), secret));
    }

    public async Task<Outcome<GatewayApplicationView>> RevokeAsync(Guid id, CancellationToken ct = default)
    {
        var application = await db.GatewayApplications.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (application is null)
        {
            return Outcome<GatewayApplicationView>.NotFound($"Gateway application {id} does not exist.");
        }
        if (application.RevokedAt is null)
        {
            application.RevokedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            catalog.Invalidate();
            await audit.RecordAsync("gateway-application.revoked", "gateway-application", id.ToString(), null, null, ct);
        }
        return Outcome<GatewayApplicationView>.Ok(View(application));
    }

    public async Task<Outcome<GatewayPolicy>> SetPolicyAsync(Guid serviceId, GatewayPolicy policy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var vendor = await db.Vendors.Include(v => v.Services).FirstOrDefaultAsync(v => v.Services.Any(s => s.Id == serviceId), ct);
        var service = vendor?.Services.First(s => s.Id == serviceId);
        if (vendor is null || service is null)
        {
            return Outcome<GatewayPolicy>.NotFound($"Vendor service {serviceId} does not exist.");
        }
        var errors = new ValidationErrors();
        policy.Models = [.. policy.Models.Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal)];
        if (policy.Enabled && policy.Models.Count == 0)
        {
            errors.Add("models", "Name at least one model callers will use.");
        }
        if (policy.Enabled && string.IsNullOrWhiteSpace(policy.UpstreamBaseUrl))
        {
            errors.Add("upstreamBaseUrl", "Choose the endpoint the gateway forwards to.");
        }
        if (policy.UpstreamBaseUrl is { Length: > 0 } url && !service.Endpoints.Any(e => url.StartsWith(e.Url.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add("upstreamBaseUrl", "The upstream must be one of the service's declared endpoints.");
        }
        policy.UpstreamCredential = string.IsNullOrWhiteSpace(policy.UpstreamCredential) ? null : policy.UpstreamCredential.Trim();
        policy.UpstreamAuthHeader = string.IsNullOrWhiteSpace(policy.UpstreamAuthHeader) ? null : policy.UpstreamAuthHeader.Trim();
        if (policy.UpstreamCredential is { } credentialName && !gatewayOptions.Value.Credentials.ContainsKey(credentialName))
        {
            errors.Add("upstreamCredential", $"No credential named '{credentialName}' is configured; add it as Proviso:Gateway:Credentials:{credentialName} (environment: Proviso__Gateway__Credentials__{credentialName}).");
        }
        if (policy.UpstreamAuthHeader is { } authHeader && !System.Text.RegularExpressions.Regex.IsMatch(authHeader, "^[A-Za-z0-9-]{1,64}$"))
        {
            errors.Add("upstreamAuthHeader", "The header name may contain letters, digits and '-' only.");
        }
        var others = await db.AiServices.AsNoTracking().Where(s => s.Id != serviceId).ToListAsync(ct);
        foreach (var model in policy.Models.Where(m => others.Any(t => t.Gateway.Enabled && t.Gateway.Models.Contains(m))))
        {
            errors.Add("models", $"Model '{model}' already routes to another service.");
        }
        if (errors.Any)
        {
            return Outcome<GatewayPolicy>.Invalid(errors.ToDictionary());
        }
        service.Gateway = policy;
        vendor.Refresh();
        await db.SaveChangesAsync(ct);
        catalog.Invalidate();
        await audit.RecordAsync("gateway-policy.updated", "vendor-service", serviceId.ToString(), vendor.Name, new Dictionary<string, object?>
        {
            ["enabled"] = policy.Enabled,
            ["models"] = policy.Models.ToArray(),
            ["credential"] = policy.UpstreamCredential,
            ["blocked"] = policy.Categories.Where(c => c.Action == CategoryAction.Block).Select(c => Taxonomy.Key(c.Category)).ToArray(),
        }, ct);
        return Outcome<GatewayPolicy>.Ok(policy);
    }

    /// <summary>Calls and blocks of the last <paramref name="days"/> days, read from the ledger.</summary>
    public async Task<GatewayOverview> OverviewAsync(int days = 7, CancellationToken ct = default)
    {
        var since = time.GetUtcNow().AddDays(-days);
        var rows = await db.LedgerEntries.AsNoTracking()
            .Where(e => (e.Action == "gateway.call" || e.Action == "gateway.blocked") && e.Time >= since)
            .OrderByDescending(e => e.Index).Take(20_000).Select(e => e.Payload).ToListAsync(ct);
        var activity = rows.Select(Parse).ToList();
        var calls = activity.Where(a => a.Action == "gateway.call").ToList();
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in activity)
        {
            foreach (var (k, v) in a.Categories)
            {
                categories[k] = categories.GetValueOrDefault(k) + v;
            }
        }
        return new GatewayOverview(
            calls.Count,
            activity.Count - calls.Count,
            calls.GroupBy(c => c.Vendor ?? "?").ToDictionary(g => g.Key, g => g.Count()),
            calls.GroupBy(c => c.Application ?? "?").ToDictionary(g => g.Key, g => g.Count()),
            categories,
            activity.Where(a => a.Action == "gateway.blocked").Take(20).ToList());
    }

    private static GatewayActivity Parse(byte[] payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var r = doc.RootElement;
        string? S(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var details = r.TryGetProperty("details", out var d) ? d : default;
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        if (details.ValueKind == JsonValueKind.Object && details.TryGetProperty("categories", out var c) && c.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in c.EnumerateObject())
            {
                categories[p.Name] = p.Value.TryGetInt32(out var n) ? n : 0;
            }
        }
        return new GatewayActivity(DateTimeOffset.Parse(S(r, "time")!, System.Globalization.CultureInfo.InvariantCulture), S(r, "action")!,
            details.ValueKind == JsonValueKind.Object ? S(details, "application") : null, S(r, "vendor"),
            details.ValueKind == JsonValueKind.Object ? S(details, "service") : null,
            details.ValueKind == JsonValueKind.Object ? S(details, "rule") : null, categories);
    }

    public static GatewayApplicationView View(GatewayApplication a) =>
        new(a.Id, a.Name, a.Hint, a.ServiceIds, a.RequestsPerMinute, a.DailyQuota, a.CreatedAt, a.RevokedAt);
}
