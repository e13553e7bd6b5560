using Proviso.Privacy.Operators;

namespace Proviso.Gateway;

/// <summary>
/// Deletes expired pseudonym mappings every minute: a conversation's originals (encrypted) must not outlive
/// <c>Proviso:Privacy:VaultTtl</c> just because the conversation never came back.
/// </summary>
internal sealed class VaultSweepService(IPseudonymVault vault, TimeProvider time, ILogger<VaultSweepService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>One sweep; failures are logged and retried at the next tick.</summary>
    public int SweepOnce()
    {
        if (vault is not IPseudonymStore store)
        {
            return 0;
        }
        try
        {
            var removed = store.Sweep();
            if (removed > 0)
            {
                logger.LogDebug("Vault sweep removed {Count} expired mappings", removed);
            }
            return removed;
        }
#pragma warning disable CA1031 // The database may be migrating or briefly unavailable; the next tick tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Vault sweep failed");
            return 0;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            SweepOnce();
        }
    }
}
