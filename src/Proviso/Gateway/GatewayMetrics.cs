using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Proviso.Gateway;

/// <summary>What one gateway call was, for its metrics: filled in as the call learns it.</summary>
public sealed class CallInfo
{
    public string Application { get; set; } = "unknown";
    public string Vendor { get; set; } = "unknown";
    public string Service { get; set; } = "unknown";

    /// <summary>forwarded, blocked (policy or category), rejected (caller error), failed (Proviso or vendor failure).</summary>
    public string Outcome { get; set; } = "rejected";

    /// <summary>Time Proviso spent before the vendor was called (authentication to ledger commit), when it got that far.</summary>
    public TimeSpan? Preparation { get; set; }

    /// <summary>Pseudonymized values by entity type.</summary>
    public IReadOnlyDictionary<string, int>? Entities { get; set; }
}

/// <summary>
/// The gateway's OpenTelemetry metrics (meter <c>Proviso.Gateway</c>), exported for Prometheus at
/// <c>/metrics</c>: calls by application, vendor, service, status and outcome; call duration; the time
/// Proviso adds before the vendor is called; pseudonymized values by entity type. Labels carry names
/// and counts only, never values.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Proviso.Gateway";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _preparation;
    private readonly Counter<long> _pseudonymized;

    public GatewayMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("proviso.gateway.calls", "{call}", "Gateway calls by application, vendor, service, status and outcome.");
        _duration = meter.CreateHistogram<double>("proviso.gateway.call.duration", "s", "Whole call, as the caller saw it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _preparation = meter.CreateHistogram<double>("proviso.gateway.preparation.duration", "s",
            "What Proviso adds before the vendor is called: authentication, policy, pseudonymization, the ledger commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] });
        _pseudonymized = meter.CreateCounter<long>("proviso.gateway.pseudonymized", "{value}", "Values replaced by pseudonyms before forwarding, by entity type.");
    }

    public void Record(CallInfo call, int status, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(call);
        var tags = new TagList
        {
            { "application", call.Application },
            { "vendor", call.Vendor },
            { "service", call.Service },
            { "status", status },
            { "outcome", call.Outcome },
        };
        _calls.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
        if (call.Preparation is { } prepared)
        {
            _preparation.Record(prepared.TotalSeconds, new TagList { { "application", call.Application }, { "vendor", call.Vendor } });
        }
        foreach (var (type, count) in call.Entities ?? new Dictionary<string, int>())
        {
            _pseudonymized.Add(count, new TagList { { "vendor", call.Vendor }, { "entity", type } });
        }
    }
}
