using System.Runtime.CompilerServices;

namespace Proviso.Ledger.Storage;

/// <summary>A store in memory, for tests and benchmarks of the log itself. Not durable.</summary>
public sealed class InMemoryLedgerStore : ILedgerStore, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<LedgerEntry> _entries = [];
    private readonly List<StoredCheckpoint> _checkpoints = [];

    /// <summary>Direct access for tests that tamper with the log.</summary>
    public IList<LedgerEntry> Entries => _entries;

    /// <summary>Direct access for tests that tamper with checkpoints.</summary>
    public IList<StoredCheckpoint> Checkpoints => _checkpoints;

    /// <inheritdoc />
    public async Task<T> WithAppendLockAsync<T>(Func<ILedgerWriter, Task<T>> work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _lock.WaitAsync(ct);
        try
        {
            var writer = new Writer(this);
            var result = await work(writer);
            _entries.AddRange(writer.Entries);
            _checkpoints.AddRange(writer.Checkpoints);
            return result;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public Task<long> SizeAsync(CancellationToken ct = default) => Task.FromResult((long)_entries.Count);

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerEntry> ReadAsync(long first, long limit, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.CompletedTask;
        for (var i = first; i < Math.Min(limit, _entries.Count); i++)
        {
            ct.ThrowIfCancellationRequested();
            yield return _entries[(int)i];
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredCheckpoint>> CheckpointsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<StoredCheckpoint>>(_checkpoints.OrderBy(c => c.Size).ToList());

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private sealed class Writer(InMemoryLedgerStore store) : ILedgerWriter
    {
        public List<LedgerEntry> Entries { get; } = [];
        public List<StoredCheckpoint> Checkpoints { get; } = [];

        public Task<long> SizeAsync() => Task.FromResult((long)store._entries.Count + Entries.Count);

        public Task<IReadOnlyList<byte[]>> LeafHashesAsync(long first, long limit) =>
            Task.FromResult<IReadOnlyList<byte[]>>(store._entries.Skip((int)first).Take((int)(limit - first)).Select(e => e.LeafHash).ToList());

        public Task InsertAsync(IReadOnlyList<LedgerEntry> entries)
        {
            Entries.AddRange(entries);
            return Task.CompletedTask;
        }

        public Task InsertCheckpointAsync(StoredCheckpoint checkpoint)
        {
            Checkpoints.Add(checkpoint);
            return Task.CompletedTask;
        }
    }
}
