using Proviso.Ledger.Checkpoints;
using Proviso.Ledger.Merkle;
using Proviso.Ledger.Records;
using Proviso.Ledger.Storage;

namespace Proviso.Ledger;

/// <summary>Settings of a <see cref="TransparencyLog"/>.</summary>
public sealed record TransparencyLogOptions
{
    /// <summary>The log's origin line in checkpoints; identifies this log among others.</summary>
    public required string Origin { get; init; }

    /// <summary>Most entries committed in one transaction.</summary>
    public int MaxBatch { get; init; } = 4096;
}

/// <summary>
/// An append-only RFC 6962 log over an <see cref="ILedgerStore"/>. Appends from any number of callers
/// are committed in batches: each batch is one transaction that inserts the entries and a checkpoint
/// signed over the new tree head, and a caller's task completes only after its batch is durable.
/// Group commit without a dedicated thread: the first caller to find no commit under way commits
/// everything queued (its own record included) on its own flow, so a lone caller pays no thread
/// hand-offs; callers arriving meanwhile queue up and share the next commit, which a background task
/// runs. Several instances may share one store: each batch re-reads the size under the store's lock
/// and catches up with entries others appended.
/// </summary>
public sealed class TransparencyLog : IAsyncDisposable
{
    private readonly ILedgerStore _store;
    private readonly NoteSigner _signer;
    private readonly TransparencyLogOptions _options;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentQueue<Pending> _queue = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CompactRange _frontier = new();
    private int _committing;
    private volatile bool _closed;

    private sealed record Pending(byte[] Payload, LedgerRecord? Record, TaskCompletionSource<long> Done);

    /// <summary>Creates the log.</summary>
    public TransparencyLog(ILedgerStore store, NoteSigner signer, TransparencyLogOptions options, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The log's origin.</summary>
    public string Origin => _options.Origin;

    /// <summary>Appends a record; returns its index once committed.</summary>
    public Task<long> AppendAsync(LedgerRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AppendAsync(Enqueue(record.ToCanonicalJson(), record), ct);
    }

    /// <summary>Appends canonical record bytes; returns the index once committed.</summary>
    public Task<long> AppendAsync(byte[] payload, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return AppendAsync(Enqueue(payload, null), ct);
    }

    /// <summary>Appends several records in one commit (unless more than a batch); completes when all are committed.</summary>
    public async Task AppendAllAsync(IEnumerable<LedgerRecord> records, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var pending = records.Select(r => Enqueue(r.ToCanonicalJson(), r)).ToList();
        if (pending.Count == 0)
        {
            return;
        }
        await LeadAsync();
        await Task.WhenAll(pending.Select(p => p.Done.Task)).WaitAsync(ct);
    }

    private async Task<long> AppendAsync(Pending pending, CancellationToken ct)
    {
        await LeadAsync();
        return await (ct.CanBeCanceled ? pending.Done.Task.WaitAsync(ct) : pending.Done.Task);
    }

    private Pending Enqueue(byte[] payload, LedgerRecord? record)
    {
        if (_closed)
        {
            throw new InvalidOperationException("The ledger is shut down.");
        }
        var pending = new Pending(payload, record, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(pending);
        return pending;
    }

    /// <summary>Commits the queue if no commit is under way; otherwise the running one picks it up.</summary>
    private async Task LeadAsync()
    {
        if (Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
        {
            return;
        }
        await CommitQueuedAsync();
        Release();
    }

    /// <summary>Ends a commit turn; records queued during it get a turn of their own in the background.</summary>
    private void Release()
    {
        // A full fence: a caller that queued while we committed either sees 0 and leads, or is seen here.
        Interlocked.Exchange(ref _committing, 0);
        if (!_queue.IsEmpty)
        {
            if (Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
            {
                _ = Task.Run(async () =>
                {
                    await CommitQueuedAsync();
                    Release();
                });
            }
        }
        else if (_closed)
        {
            _idle.TrySetResult();
        }
    }

    private async Task CommitQueuedAsync()
    {
        var batch = new List<Pending>(Math.Min(_options.MaxBatch, 64));
        while (batch.Count < _options.MaxBatch && _queue.TryDequeue(out var p))
        {
            batch.Add(p);
        }
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            var (first, frontier) = await _store.WithAppendLockAsync(w => CommitAsync(w, batch));
            _frontier = frontier;
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(first + i);
            }
        }
#pragma warning disable CA1031 // A store failure is reported to each waiting caller; the log goes on with the next batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var p in batch)
            {
                p.Done.TrySetException(new LedgerException("The ledger could not commit the entry; nothing was recorded.", ex));
            }
        }
    }

    private async Task<(long First, CompactRange Frontier)> CommitAsync(ILedgerWriter writer, List<Pending> batch)
    {
        var size = await writer.SizeAsync();
        var frontier = _frontier;
        if (size < frontier.Size)
        {
            // The store has fewer entries than we appended: never silently continue on top of that.
            throw new LedgerException($"The ledger store holds {size} entries but this process committed {frontier.Size}: it was truncated or rolled back.");
        }
        if (size > frontier.Size)
        {
            frontier = frontier.Clone();
            const int Chunk = 65536;
            for (var at = frontier.Size; at < size; at += Chunk)
            {
                foreach (var h in await writer.LeafHashesAsync(at, Math.Min(size, at + Chunk)))
                {
                    frontier.Append(h);
                }
            }
        }
        else
        {
            frontier = frontier.Clone();
        }
        var entries = new List<LedgerEntry>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var leaf = Rfc6962.LeafHash(batch[i].Payload);
            frontier.Append(leaf);
            entries.Add(new LedgerEntry(size + i, leaf, batch[i].Payload) { Record = batch[i].Record });
        }
        await writer.InsertAsync(entries);
        var root = frontier.Root();
        var note = new Checkpoint(_options.Origin, frontier.Size, root).Sign(_signer);
        await writer.InsertCheckpointAsync(new StoredCheckpoint(frontier.Size, root, note, _time.GetUtcNow()));
        return (size, frontier);
    }

    /// <summary>Stops accepting entries and waits for queued ones to commit.</summary>
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        // Take a turn (or wait for the running one, which hands over to the next until the queue is empty).
        await LeadAsync();
        if (Volatile.Read(ref _committing) == 0 && _queue.IsEmpty)
        {
            _idle.TrySetResult();
        }
        await _idle.Task;
    }
}

/// <summary>A ledger operation that failed; nothing partial was recorded.</summary>
public sealed class LedgerException(string message, Exception? inner = null) : Exception(message, inner);
