using System.Threading.Channels;
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
/// are queued and committed in batches: each batch is one transaction that inserts the entries and a
/// checkpoint signed over the new tree head, and a caller's task completes only after its batch is
/// durable. Several instances may share one store: each batch re-reads the size under the store's
/// lock and catches up with entries others appended.
/// </summary>
public sealed class TransparencyLog : IAsyncDisposable
{
    private readonly ILedgerStore _store;
    private readonly NoteSigner _signer;
    private readonly TransparencyLogOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private CompactRange _frontier = new();

    private sealed record Pending(byte[] Payload, TaskCompletionSource<long> Done);

    /// <summary>Starts the log's append pump.</summary>
    public TransparencyLog(ILedgerStore store, NoteSigner signer, TransparencyLogOptions options, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The log's origin.</summary>
    public string Origin => _options.Origin;

    /// <summary>Appends a record; returns its index once committed.</summary>
    public Task<long> AppendAsync(LedgerRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AppendAsync(record.ToCanonicalJson(), ct);
    }

    /// <summary>Appends canonical record bytes; returns the index once committed.</summary>
    public Task<long> AppendAsync(byte[] payload, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var pending = new Pending(payload, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The ledger is shut down.");
        }
        return ct.CanBeCanceled ? pending.Done.Task.WaitAsync(ct) : pending.Done.Task;
    }

    private async Task PumpAsync()
    {
        var batch = new List<Pending>(_options.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var p))
            {
                batch.Add(p);
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
#pragma warning disable CA1031 // The pump must survive any store failure and report it to each waiting caller.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var p in batch)
                {
                    p.Done.TrySetException(new LedgerException("The ledger could not commit the entry; nothing was recorded.", ex));
                }
            }
            batch.Clear();
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
            entries.Add(new LedgerEntry(size + i, leaf, batch[i].Payload));
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
        _queue.Writer.TryComplete();
        await _pump;
    }
}

/// <summary>A ledger operation that failed; nothing partial was recorded.</summary>
public sealed class LedgerException(string message, Exception? inner = null) : Exception(message, inner);
