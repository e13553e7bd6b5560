using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Vendors;

namespace Proviso.Gateway;

/// <summary>A gateway route: a vendor service with its policy, resolved from the inventory.</summary>
public sealed record GatewayRoute(Guid ServiceId, string ServiceName, Guid VendorId, string VendorName, VendorStatus VendorStatus,
    GatewayPolicy Policy, IReadOnlyList<ServiceEndpoint> Endpoints);

/// <summary>
/// Routes and applications, read from the database and kept for a few seconds so the hot path does
/// not query per request. Changes made through the API invalidate it at once; other instances see
/// them within the refresh interval.
/// </summary>
public sealed class GatewayCatalog(ProvisoDbOptions db, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(DateTimeOffset LoadedAt, IReadOnlyDictionary<string, GatewayRoute> ByModel, IReadOnlyList<GatewayRoute> Routes,
        IReadOnlyDictionary<string, GatewayApplication> ByKeyHash);

    public void Invalidate() => _snapshot = null;

    public void Dispose() => _gate.Dispose();

    public async Task<GatewayApplication?> FindApplicationAsync(string secret, CancellationToken ct)
    {
        var s = await CurrentAsync(ct);
        return s.ByKeyHash.TryGetValue(Convert.ToHexString(GatewayApplication.HashOf(secret)), out var app) ? app : null;
    }

    public async Task<GatewayRoute?> FindRouteAsync(string model, CancellationToken ct)
    {
        var s = await CurrentAsync(ct);
        return s.ByModel.TryGetValue(model, out var route) ? route : null;
    }

    public async Task<IReadOnlyList<GatewayRoute>> RoutesAsync(CancellationToken ct) => (await CurrentAsync(ct)).Routes;

    private async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var s = _snapshot;
        if (s is not null && time.GetUtcNow() - s.LoadedAt < Refresh)
        {
            return s;
        }
        await _gate.WaitAsync(ct);
        try
        {
            s = _snapshot;
            if (s is not null && time.GetUtcNow() - s.LoadedAt < Refresh)
            {
                return s;
            }
            await using var context = db.Create();
            var vendors = await context.Vendors.AsNoTracking().Include(v => v.Services).Where(v => !v.IsArchived).ToListAsync(ct);
            var routes = new List<GatewayRoute>();
            var byModel = new Dictionary<string, GatewayRoute>(StringComparer.Ordinal);
            foreach (var v in vendors)
            {
                foreach (var svc in v.Services.Where(x => x.Gateway.Enabled))
                {
                    var route = new GatewayRoute(svc.Id, svc.Name, v.Id, v.Name, v.Status, svc.Gateway, svc.Endpoints);
                    routes.Add(route);
                    foreach (var m in svc.Gateway.Models)
                    {
                        byModel.TryAdd(m, route);
                    }
                }
            }
            var apps = await context.GatewayApplications.AsNoTracking().Where(a => a.RevokedAt == null).ToListAsync(ct);
            s = new Snapshot(time.GetUtcNow(), byModel, routes, apps.ToDictionary(a => Convert.ToHexString(a.KeyHash), StringComparer.Ordinal));
            _snapshot = s;
            return s;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>Per-application request limits (per minute and per day), kept in memory per instance.</summary>
public sealed class GatewayLimits(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Counter> _counters = new();

    private sealed class Counter
    {
        public long Minute;
        public int InMinute;
        public long Day;
        public int InDay;
    }

    /// <summary>Counts one request; returns a reason when a limit is exceeded.</summary>
    public string? TryAcquire(GatewayApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var now = time.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        var day = minute / (60 * 24);
        var c = _counters.GetOrAdd(app.Id, _ => new Counter());
        lock (c)
        {
            if (c.Minute != minute)
            {
                c.Minute = minute;
                c.InMinute = 0;
            }
            if (c.Day != day)
            {
                c.Day = day;
                c.InDay = 0;
            }
            if (c.InMinute >= app.RequestsPerMinute)
            {
                return $"rate limit of {app.RequestsPerMinute} requests per minute reached";
            }
            if (c.InDay >= app.DailyQuota)
            {
                return $"daily quota of {app.DailyQuota} requests reached";
            }
            c.InMinute++;
            c.InDay++;
            return null;
        }
    }
}
