using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger.Checkpoints;
using Proviso.Ledger.Records;

namespace Proviso.Ledger;

/// <summary>
/// The host's tamper-evident log: owns the signing key and the <see cref="TransparencyLog"/> over the
/// database, and records actions with the acting user and the injected clock.
/// </summary>
public sealed class LedgerService(IOptions<ProvisoOptions> options, ProvisoDbOptions db, TimeProvider time, ILogger<LedgerService> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TransparencyLog? _log;
    private NoteSigner? _signer;

    public string Origin => options.Value.Ledger.Origin;

    public DbLedgerStore Store { get; } = new(db, options.Value.Ledger.Durability);

    public string SigningKeyPath => options.Value.Ledger.SigningKeyFile is { Length: > 0 } f
        ? Path.GetFullPath(f)
        : Path.Combine(options.Value.FullDataDir, "ledger-signing.key");

    /// <summary>Appends a record and returns its index once durable.</summary>
    public async Task<long> RecordAsync(string action, string? actor, string? subjectType = null, string? subjectId = null, string? vendor = null,
        IReadOnlyDictionary<string, object?>? details = null, CancellationToken ct = default)
    {
        var log = await LogAsync(ct);
        return await log.AppendAsync(new LedgerRecord
        {
            Action = action,
            Actor = actor ?? "system",
            Time = time.GetUtcNow(),
            SubjectType = subjectType,
            SubjectId = subjectId,
            Vendor = vendor,
            Details = details,
        }, ct);
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<LedgerRecord> _deferred = new();
    private int _flushScheduled;

    /// <summary>How long a deferred record waits for others to share its commit.</summary>
    public static readonly TimeSpan DeferredLinger = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Appends a record the caller need not wait for — the outcome of a call whose data share is already
    /// durable — gathering such records for up to <see cref="DeferredLinger"/> so they share one commit
    /// instead of taking one each. A crash within that window loses them; failures are logged.
    /// </summary>
    public void RecordDeferred(string action, string? actor, string? subjectType = null, string? subjectId = null, string? vendor = null,
        IReadOnlyDictionary<string, object?>? details = null)
    {
        _deferred.Enqueue(new LedgerRecord
        {
            Action = action, Actor = actor ?? "system", Time = time.GetUtcNow(), SubjectType = subjectType, SubjectId = subjectId, Vendor = vendor, Details = details,
        });
        if (Interlocked.CompareExchange(ref _flushScheduled, 1, 0) == 0)
        {
            _ = FlushLaterAsync();
        }
    }

    private async Task FlushLaterAsync()
    {
        await Task.Delay(DeferredLinger);
        Volatile.Write(ref _flushScheduled, 0);
        await FlushDeferredAsync();
    }

    /// <summary>Commits every deferred record now (also run when the service stops).</summary>
    public async Task FlushDeferredAsync()
    {
        var records = new List<LedgerRecord>();
        try
        {
            var log = await LogAsync(CancellationToken.None);
            while (_deferred.TryDequeue(out var record))
            {
                records.Add(record);
            }
            await log.AppendAllAsync(records);
        }
#pragma warning disable CA1031 // Deferred records have no caller left to throw at; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Could not record {Count} deferred ledger entries", Math.Max(records.Count, _deferred.Count));
        }
    }

    /// <summary>Every public key that may have signed this log's checkpoints, current first.</summary>
    public async Task<IReadOnlyList<NoteVerifier>> TrustedKeysAsync(CancellationToken ct = default)
    {
        // Read-only on purpose: verifying must never create or change anything.
        await using var context = db.Create();
        var rows = await context.LedgerKeys.AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(k => k.RetiredAt is null ? 0 : 1).ThenByDescending(k => k.CreatedAt).Select(k => new NoteVerifier(k.Verifier)).ToList();
    }

    public Task<VerificationResult> VerifyAsync(IProgress<long>? progress = null, CancellationToken ct = default) =>
        VerifyWithKeysAsync(progress, ct);

    private async Task<VerificationResult> VerifyWithKeysAsync(IProgress<long>? progress, CancellationToken ct) =>
        await LedgerVerifier.VerifyAsync(Store, Origin, await TrustedKeysAsync(ct), progress, ct);

    /// <summary>Replaces the signing key. The old public key stays trusted for the checkpoints it signed.</summary>
    public async Task<string> RotateKeyAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_log is not null)
            {
                await _log.DisposeAsync();
                _log = null;
            }
            _signer?.Dispose();
            _signer = null;
            await using var context = db.Create();
            foreach (var k in await context.LedgerKeys.Where(k => k.RetiredAt == null).ToListAsync(ct))
            {
                k.RetiredAt = time.GetUtcNow();
            }
            await context.SaveChangesAsync(ct);
            var path = SigningKeyPath;
            if (File.Exists(path))
            {
                File.Move(path, $"{path}.retired-{time.GetUtcNow():yyyyMMddHHmmss}");
            }
        }
        finally
        {
            _gate.Release();
        }
        await EnsureKeyAsync(ct);
        return _signer!.Verifier;
    }

    private readonly CancellationTokenSource _stopping = new();
    private Task? _flusher;

    /// <summary>How often commits made with <see cref="LedgerDurability.Committed"/> are forced to disk.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private async Task FlushLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await Store.FlushAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Could not flush ledger commits to disk");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping; the final flush runs in DisposeAsync.
        }
    }

    private async Task<TransparencyLog> LogAsync(CancellationToken ct)
    {
        if (_log is { } existing)
        {
            return existing;
        }
        await EnsureKeyAsync(ct);
        await _gate.WaitAsync(ct);
        try
        {
            if (_log is null && Store.Durability == LedgerDurability.Committed)
            {
                _flusher = FlushLoopAsync(_stopping.Token);
            }
            return _log ??= new TransparencyLog(Store, _signer!, new TransparencyLogOptions { Origin = Origin, MaxBatch = options.Value.Ledger.MaxBatch }, time);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads the signing key, creating it (and registering its public half) on first start.</summary>
    public Task InitializeAsync(CancellationToken ct = default) => EnsureKeyAsync(ct);

    private async Task EnsureKeyAsync(CancellationToken ct)
    {
        if (_signer is not null)
        {
            return;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_signer is not null)
            {
                return;
            }
            var path = SigningKeyPath;
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var (signerKey, _) = NoteKeys.Generate(KeyName());
                // Owner-only from the first byte: the key never exists on disk with wider permissions.
                var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                await using (var stream = new FileStream(path, fileOptions))
                await using (var writer = new StreamWriter(stream))
                {
                    await writer.WriteLineAsync(signerKey);
                }
                logger.LogInformation("Created ledger signing key {Path}", path);
            }
            var signer = new NoteSigner((await File.ReadAllTextAsync(path, ct)).Trim());
            await using var context = db.Create();
            if (!await context.LedgerKeys.AnyAsync(k => k.Verifier == signer.Verifier, ct))
            {
                context.LedgerKeys.Add(new LedgerKeyRow { Verifier = signer.Verifier, Name = signer.Name, CreatedAt = time.GetUtcNow() });
                try
                {
                    await context.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another instance registered the same key first.
                }
            }
            _signer = signer;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string KeyName()
    {
        var host = Origin.Split('/')[0];
        return string.IsNullOrWhiteSpace(host) ? "proviso" : host;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_deferred.IsEmpty)
        {
            await FlushDeferredAsync();
        }
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
        await _stopping.CancelAsync();
        if (_flusher is not null)
        {
            await _flusher;
            await Store.FlushAsync();
        }
        await Store.DisposeAsync();
        _stopping.Dispose();
        _signer?.Dispose();
        _gate.Dispose();
    }
}
