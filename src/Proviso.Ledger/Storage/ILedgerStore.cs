namespace Proviso.Ledger.Storage;

/// <summary>One log entry as stored: its position, the RFC 6962 leaf hash and the canonical record bytes.</summary>
public sealed record LedgerEntry(long Index, byte[] LeafHash, byte[] Payload)
{
    /// <summary>The parsed record, when the appender still has it (saves stores that index fields a parse).</summary>
    public Records.LedgerRecord? Record { get; init; }
}

/// <summary>A signed checkpoint as stored, with the tree size and root it commits to.</summary>
public sealed record StoredCheckpoint(long Size, byte[] RootHash, string Note, DateTimeOffset CreatedAt);

/// <summary>
/// Where the log lives. Implementations serialize appends across threads, processes and hosts (a
/// database lock), and make each batch atomic and durable: after <see cref="WithAppendLockAsync{T}"/>
/// returns, everything the work wrote is committed; if it throws, nothing is.
/// </summary>
public interface ILedgerStore
{
    /// <summary>Runs <paramref name="work"/> holding the log's exclusive append lock, in one transaction.</summary>
    Task<T> WithAppendLockAsync<T>(Func<ILedgerWriter, Task<T>> work, CancellationToken ct = default);

    /// <summary>Number of committed entries.</summary>
    Task<long> SizeAsync(CancellationToken ct = default);

    /// <summary>Entries [first, limit) in index order.</summary>
    IAsyncEnumerable<LedgerEntry> ReadAsync(long first, long limit, CancellationToken ct = default);

    /// <summary>Every checkpoint, smallest tree first.</summary>
    Task<IReadOnlyList<StoredCheckpoint>> CheckpointsAsync(CancellationToken ct = default);
}

/// <summary>What an append may do while it holds the lock.</summary>
public interface ILedgerWriter
{
    /// <summary>Number of committed entries, read under the lock.</summary>
    Task<long> SizeAsync();

    /// <summary>Leaf hashes [first, limit), for catching up with entries other writers appended.</summary>
    Task<IReadOnlyList<byte[]>> LeafHashesAsync(long first, long limit);

    /// <summary>Inserts entries; their indexes continue the log without gaps.</summary>
    Task InsertAsync(IReadOnlyList<LedgerEntry> entries);

    /// <summary>Stores a checkpoint for the new tree size.</summary>
    Task InsertCheckpointAsync(StoredCheckpoint checkpoint);
}
