using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Ledger;

/// <summary>Deferred records (a gateway call's outcome): gathered into one commit, never dropped when the service stops.</summary>
public sealed class DeferredLedgerTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Deferred_records_share_one_commit_and_are_flushed_when_the_service_stops(DatabaseProvider provider)
    {
        using var factory = new ProvisoFactory(provider, new Dictionary<string, string?> { ["Proviso:Diligence:SweepMinutes"] = "0" });
        var options = factory.Services.GetRequiredService<IOptions<ProvisoOptions>>();
        var dbOptions = new ProvisoDbOptions(options, new AuditInterceptor(TimeProvider.System));
        var ledger = new LedgerService(options, dbOptions, TimeProvider.System, NullLogger<LedgerService>.Instance);
        await ledger.RecordAsync("test.start", "deferred-tester");
        var checkpoints = await CountAsync(factory, db => db.LedgerCheckpoints.CountAsync());

        for (var i = 0; i < 40; i++)
        {
            ledger.RecordDeferred("test.outcome", "deferred-tester", details: new Dictionary<string, object?> { ["n"] = i });
        }
        await Task.Delay(LedgerService.DeferredLinger * 8);
        Assert.Equal(40, await CountAsync(factory, db => db.LedgerEntries.CountAsync(e => e.Action == "test.outcome")));
        // Forty records share commits: a handful of checkpoints (the writer may wake while they are being queued), not forty.
        Assert.InRange(await CountAsync(factory, db => db.LedgerCheckpoints.CountAsync()) - checkpoints, 1, 4);

        for (var i = 0; i < 5; i++)
        {
            ledger.RecordDeferred("test.late", "deferred-tester");
        }
        await ledger.DisposeAsync(); // stops before the linger is over: must flush, not drop
        Assert.Equal(5, await CountAsync(factory, db => db.LedgerEntries.CountAsync(e => e.Action == "test.late")));
        var verified = await factory.Services.GetRequiredService<LedgerService>().VerifyAsync();
        Assert.True(verified.Ok, verified.Message);
    }

    private static async Task<int> CountAsync(ProvisoFactory f, Func<ProvisoDbContext, Task<int>> query)
    {
        using var scope = f.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<ProvisoDbContext>());
    }
}
