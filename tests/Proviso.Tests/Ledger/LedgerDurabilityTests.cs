using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Ledger.Storage;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Ledger;

public class LedgerDurabilityTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task ABatchThatFailsMidway_LeavesNoPartialEntryVisible(DatabaseProvider provider)
    {
        using var factory = new ProvisoFactory(provider);
        var ledger = factory.Services.GetRequiredService<LedgerService>();
        await ledger.RecordAsync("test.before", "tester");
        var sizeBefore = await ledger.Store.SizeAsync();
        var checkpointsBefore = (await ledger.Store.CheckpointsAsync()).Count;

        // Entries are inserted, then the work dies before the checkpoint: the whole batch must vanish.
        await Assert.ThrowsAsync<IOException>(() => ledger.Store.WithAppendLockAsync<int>(async w =>
        {
            var size = await w.SizeAsync();
            var payload = "{\"action\":\"x\",\"actor\":\"y\",\"time\":\"2026-01-01T00:00:00+00:00\"}"u8.ToArray();
            await w.InsertAsync([new LedgerEntry(size, Proviso.Ledger.Merkle.Rfc6962.LeafHash(payload), payload)]);
            throw new IOException("power cut");
        }));

        Assert.Equal(sizeBefore, await ledger.Store.SizeAsync());
        Assert.Equal(checkpointsBefore, (await ledger.Store.CheckpointsAsync()).Count);
        await ledger.RecordAsync("test.after", "tester");
        var result = await ledger.VerifyAsync();
        Assert.True(result.Ok, result.Message);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task CommittedDurability_RecordsAndFlushes_WithoutRelaxingTheRestOfTheHost(DatabaseProvider provider)
    {
        using var factory = new ProvisoFactory(provider, new Dictionary<string, string?> { ["Proviso:Ledger:Durability"] = "Committed" });
        var ledger = factory.Services.GetRequiredService<LedgerService>();
        Assert.Equal(LedgerDurability.Committed, ledger.Store.Durability);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => ledger.RecordAsync("test.relaxed", $"tester{i}")));

        // The background loop may have flushed already; either way, right after a flush nothing waits.
        await ledger.Store.FlushAsync();
        Assert.False(await ledger.Store.FlushAsync());
        var result = await ledger.VerifyAsync();
        Assert.True(result.Ok, result.Message);
        Assert.True(result.Entries >= 20);

        if (provider == DatabaseProvider.Sqlite)
        {
            // The ledger commits on a connection of its own with synchronous=NORMAL; the host's pooled connections stay fully synchronous.
            var options = factory.Services.GetRequiredService<ProvisoDbOptions>();
            for (var i = 0; i < 3; i++)
            {
                await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(options.ConnectionString);
                await connection.OpenAsync();
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = "PRAGMA synchronous";
                Assert.Equal(2L, (long)(await cmd.ExecuteScalarAsync())!);
            }
        }
    }

    [Fact]
    public void DefaultDurability_FlushesEveryCommit()
    {
        using var factory = new ProvisoFactory(DatabaseProvider.Sqlite);
        Assert.Equal(LedgerDurability.Flushed, factory.Services.GetRequiredService<LedgerService>().Store.Durability);
    }

    [Fact]
    public async Task KeyRotation_NewCheckpointsUseTheNewKey_AndOldOnesStillVerify()
    {
        using var factory = new ProvisoFactory(DatabaseProvider.Sqlite);
        var ledger = factory.Services.GetRequiredService<LedgerService>();
        await ledger.RecordAsync("test.one", "tester");
        var oldKeys = await ledger.TrustedKeysAsync();

        var newVerifier = await ledger.RotateKeyAsync();
        await ledger.RecordAsync("test.two", "tester");

        var keys = await ledger.TrustedKeysAsync();
        Assert.Equal(newVerifier, keys[0].Text);
        Assert.Contains(keys, k => k.Text == oldKeys[0].Text);
        Assert.NotEqual(oldKeys[0].Text, newVerifier);
        var result = await ledger.VerifyAsync();
        Assert.True(result.Ok, result.Message);
        Assert.Contains(Directory.GetFiles(factory.DataDir), f => f.Contains("ledger-signing.key.retired-", StringComparison.Ordinal));

        using var scope = factory.Services.CreateScope();
        var latest = await scope.ServiceProvider.GetRequiredService<ProvisoDbContext>().LedgerCheckpoints.OrderByDescending(c => c.Size).FirstAsync();
        Assert.Contains(" " + keys[0].Name + " ", latest.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void SigningKeyFile_IsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var path = factory.Services.GetRequiredService<LedgerService>().SigningKeyPath;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
