using System.Text;
using Proviso.Ledger.Checkpoints;
using Proviso.Ledger.Merkle;
using Proviso.Ledger.Records;
using Proviso.Ledger.Storage;

namespace Proviso.Ledger.Tests;

public sealed class LogTests : IDisposable
{
    private const string Origin = "test.proviso/ledger";
    private readonly (string Signer, string Verifier) _keys = NoteKeys.Generate("proviso-test");
    private readonly InMemoryLedgerStore _store = new();

    public void Dispose() => _store.Dispose();

    private static LedgerRecord Record(int i, string? vendor = null) => new()
    {
        Action = "vendor.updated",
        Actor = $"user{i % 3}@example.com",
        Time = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).AddSeconds(i),
        SubjectType = "vendor",
        SubjectId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Vendor = vendor,
        Details = new Dictionary<string, object?> { ["fields"] = new[] { "owner" }, ["n"] = i },
    };

    private async Task<TransparencyLog> FilledAsync(int count, int maxBatch = 7)
    {
        var log = new TransparencyLog(_store, new NoteSigner(_keys.Signer), new TransparencyLogOptions { Origin = Origin, MaxBatch = maxBatch });
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => log.AppendAsync(Record(i, i % 2 == 0 ? "Lumen AI" : "Northwind CRM"))));
        return log;
    }

    private Task<VerificationResult> VerifyAsync() => LedgerVerifier.VerifyAsync(_store, Origin, [new NoteVerifier(_keys.Verifier)]);

    [Fact]
    public async Task ConcurrentAppends_GetDistinctConsecutiveIndexes_AndTheLogVerifies()
    {
        var log = new TransparencyLog(_store, new NoteSigner(_keys.Signer), new TransparencyLogOptions { Origin = Origin, MaxBatch = 16 });
        var indexes = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => log.AppendAsync(Record(i)))));
        await log.DisposeAsync();

        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), indexes.Order());
        Assert.True(_store.Checkpoints.Count >= 500 / 16);
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Message);
        Assert.Equal(500, result.Entries);
    }

    [Fact]
    public async Task TwoLogsOnOneStore_CatchUpWithEachOther()
    {
        var a = new TransparencyLog(_store, new NoteSigner(_keys.Signer), new TransparencyLogOptions { Origin = Origin });
        var b = new TransparencyLog(_store, new NoteSigner(_keys.Signer), new TransparencyLogOptions { Origin = Origin });
        for (var i = 0; i < 20; i++)
        {
            await (i % 3 == 0 ? b : a).AppendAsync(Record(i));
        }
        await a.DisposeAsync();
        await b.DisposeAsync();
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Message);
    }

    [Fact]
    public async Task EditedPayload_IsReportedAtItsIndex()
    {
        await (await FilledAsync(50)).DisposeAsync();
        var e = _store.Entries[37];
        var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(e.Payload).Replace("user1", "user2", StringComparison.Ordinal));
        _store.Entries[37] = e with { Payload = forged };

        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(37, result.FirstBadIndex);
    }

    [Fact]
    public async Task EditedPayloadAndLeafHashTogether_AreCaughtByTheCheckpoint()
    {
        await (await FilledAsync(50, maxBatch: 5)).DisposeAsync();
        var forged = Record(999).ToCanonicalJson();
        _store.Entries[23] = new LedgerEntry(23, Rfc6962.LeafHash(forged), forged);

        var result = await VerifyAsync();
        Assert.False(result.Ok);
        // Reported at the start of the checkpointed batch holding entry 23; batches hold at most 5 entries
        // but may be smaller (appends race the writer), so that batch starts at 19 at the earliest.
        Assert.InRange(result.FirstBadIndex!.Value, 19, 23);
        Assert.Contains("does not match the entries", result.Message);
    }

    [Fact]
    public async Task TruncatedLog_IsReported()
    {
        await (await FilledAsync(30)).DisposeAsync();
        while (_store.Entries.Count > 25)
        {
            _store.Entries.RemoveAt(_store.Entries.Count - 1);
        }
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(25, result.FirstBadIndex);
        Assert.Contains("truncated", result.Message);
    }

    [Fact]
    public async Task WrongKey_AndCheckpointFromAnotherLog_AreRejected()
    {
        await (await FilledAsync(10)).DisposeAsync();
        var other = NoteKeys.Generate("proviso-test");
        var wrongKey = await LedgerVerifier.VerifyAsync(_store, Origin, [new NoteVerifier(other.Verifier)]);
        Assert.False(wrongKey.Ok);
        Assert.Contains("not signed by any of the given keys", wrongKey.Message);

        var foreign = new Checkpoint("elsewhere.example/log", 10, _store.Checkpoints[^1].RootHash).Sign(new NoteSigner(_keys.Signer));
        _store.Checkpoints[^1] = _store.Checkpoints[^1] with { Note = foreign };
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains("another log", result.Message);
    }

    [Fact]
    public async Task Bundle_ForOneVendor_VerifiesOffline_AndAnyEditIsNamed()
    {
        await (await FilledAsync(40)).DisposeAsync();
        var bundle = await LedgerBundle.CreateAsync(_store, r => r.Vendor == "Lumen AI");
        Assert.Equal(20, bundle.Entries.Count);
        var ms = new MemoryStream();
        bundle.WriteTo(ms);
        var bytes = ms.ToArray();
        var key = new NoteVerifier(_keys.Verifier);

        Assert.Equal(20, LedgerBundle.Verify(new MemoryStream(bytes), key));

        var text = Encoding.UTF8.GetString(bytes);
        var edited = text.Replace("\"user1@example.com\"", "\"mallory@example.com\"", StringComparison.Ordinal);
        Assert.NotEqual(text, edited);
        var ex = Assert.Throws<LedgerException>(() => LedgerBundle.Verify(new MemoryStream(Encoding.UTF8.GetBytes(edited)), key));
        Assert.Matches("^Entry \\d+ is not in the log", ex.Message);

        var truncated = Assert.Throws<LedgerException>(() => LedgerBundle.Verify(new MemoryStream(bytes[..(bytes.Length / 2)]), key));
        Assert.Contains("not valid JSON", truncated.Message);

        var wrongKey = Assert.Throws<LedgerException>(() => LedgerBundle.Verify(new MemoryStream(bytes), new NoteVerifier(NoteKeys.Generate("other").Verifier)));
        Assert.Contains("does not verify with this key", wrongKey.Message);

        Assert.Throws<LedgerException>(() => LedgerBundle.Verify(new MemoryStream("{\"format\":\"something-else\"}"u8.ToArray()), key));
    }

    [Fact]
    public async Task CallersArrivingDuringACommit_ShareTheNextOne_AndDisposeWaitsForThem()
    {
        var slow = new SlowStore(_store, TimeSpan.FromMilliseconds(30));
        var log = new TransparencyLog(slow, new NoteSigner(_keys.Signer), new TransparencyLogOptions { Origin = Origin });
        Assert.Equal(0, await log.AppendAsync(Record(0)));

        var appends = Enumerable.Range(1, 200).Select(i => log.AppendAsync(Record(i))).ToList();
        await log.DisposeAsync();

        // Everything queued is committed when Dispose returns (callers' continuations may still be on their way).
        Assert.Equal(201, await _store.SizeAsync());
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), (await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(30))).Order());
        // 201 records, a commit each would be 201; group commit shares them.
        Assert.InRange(slow.Commits, 2, 40);
        Assert.Throws<InvalidOperationException>(() => { _ = log.AppendAsync(Record(999)); });
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Message);
        Assert.Equal(201, result.Entries);
    }

    [Fact]
    public async Task AfterAFailedCommit_TheNextAppendsStillCommit()
    {
        var flaky = new SlowStore(_store, TimeSpan.Zero) { FailNext = 1 };
        await using var log = new TransparencyLog(flaky, new NoteSigner(_keys.Signer), new TransparencyLogOptions { Origin = Origin });
        await Assert.ThrowsAsync<LedgerException>(() => log.AppendAsync(Record(0)));
        Assert.Equal(0, await log.AppendAsync(Record(1)));
        await log.AppendAllAsync([Record(2), Record(3), Record(4)]);
        Assert.Equal(4, await _store.SizeAsync());
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Message);
    }

    private sealed class SlowStore(InMemoryLedgerStore inner, TimeSpan delay) : ILedgerStore
    {
        private int _commits;
        public int Commits => _commits;
        public int FailNext { get; set; }

        public async Task<T> WithAppendLockAsync<T>(Func<ILedgerWriter, Task<T>> work, CancellationToken ct = default)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new IOException("disk full");
            }
            Interlocked.Increment(ref _commits);
            await Task.Delay(delay, ct);
            return await inner.WithAppendLockAsync(work, ct);
        }

        public Task<long> SizeAsync(CancellationToken ct = default) => inner.SizeAsync(ct);
        public IAsyncEnumerable<LedgerEntry> ReadAsync(long first, long limit, CancellationToken ct = default) => inner.ReadAsync(first, limit, ct);
        public Task<IReadOnlyList<StoredCheckpoint>> CheckpointsAsync(CancellationToken ct = default) => inner.CheckpointsAsync(ct);
    }

    [Fact]
    public async Task StoreFailure_FailsTheCallers_AndRecordsNothing()
    {
        var store = new FailingStore();
        await using var log = new TransparencyLog(store, new NoteSigner(_keys.Signer), new TransparencyLogOptions { Origin = Origin });
        var ex = await Assert.ThrowsAsync<LedgerException>(() => log.AppendAsync(Record(1)));
        Assert.Contains("nothing was recorded", ex.Message);
    }

    private sealed class FailingStore : ILedgerStore
    {
        public Task<T> WithAppendLockAsync<T>(Func<ILedgerWriter, Task<T>> work, CancellationToken ct = default) => throw new IOException("disk full");
        public Task<long> SizeAsync(CancellationToken ct = default) => Task.FromResult(0L);
        public IAsyncEnumerable<LedgerEntry> ReadAsync(long first, long limit, CancellationToken ct = default) => AsyncEnumerable.Empty<LedgerEntry>();
        public Task<IReadOnlyList<StoredCheckpoint>> CheckpointsAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<StoredCheckpoint>>([]);
    }
}
