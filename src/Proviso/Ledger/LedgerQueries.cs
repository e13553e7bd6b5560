using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Ledger.Merkle;
using Proviso.Ledger.Records;

namespace Proviso.Ledger;

public sealed record LedgerEntryView(long Index, string LeafHash, JsonElement Record);

public sealed record LedgerPage(IReadOnlyList<LedgerEntryView> Items, int Page, int PageSize, long Total);

public sealed record CheckpointView(long Size, string RootHash, string Note, DateTimeOffset CreatedAt);

public sealed record InclusionProofView(long Index, long TreeSize, string LeafHash, string RootHash, IReadOnlyList<string> Proof, string Checkpoint);

public sealed record LedgerFilter(string? Action = null, string? Actor = null, string? Vendor = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public bool Matches(LedgerRecord r) =>
        (Action is null || r.Action == Action)
        && (Actor is null || r.Actor.Contains(Actor, StringComparison.OrdinalIgnoreCase))
        && (Vendor is null || string.Equals(r.Vendor, Vendor, StringComparison.OrdinalIgnoreCase))
        && (From is null || r.Time >= From)
        && (To is null || r.Time <= To);
}

/// <summary>Reads for the Audit page, the API and the CLI: filtered pages, checkpoints, proofs, bundles.</summary>
public sealed class LedgerQueries(ProvisoDbContext db, LedgerService ledger)
{
    public async Task<LedgerPage> ListAsync(LedgerFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        pageSize = Math.Clamp(pageSize, 1, 200);
        page = Math.Max(1, page);
        var q = db.LedgerEntries.AsNoTracking();
        if (filter.Action is { Length: > 0 } action)
        {
            q = q.Where(e => e.Action == action);
        }
        if (filter.Actor is { Length: > 0 } actor)
        {
            q = q.Where(e => e.Actor.Contains(actor));
        }
        if (filter.Vendor is { Length: > 0 } vendor)
        {
            q = q.Where(e => e.Vendor == vendor);
        }
        if (filter.From is { } from)
        {
            q = q.Where(e => e.Time >= from);
        }
        if (filter.To is { } to)
        {
            q = q.Where(e => e.Time <= to);
        }
        var total = await q.LongCountAsync(ct);
        var rows = await q.OrderByDescending(e => e.Index).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new { e.Index, e.LeafHash, e.Payload }).ToListAsync(ct);
        // Pages show the payload — the signed data — never the filter columns beside it.
        var items = rows.Select(r => new LedgerEntryView(r.Index, Convert.ToHexStringLower(r.LeafHash), JsonDocument.Parse(r.Payload).RootElement.Clone())).ToList();
        return new LedgerPage(items, page, pageSize, total);
    }

    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken ct = default) =>
        await db.LedgerEntries.AsNoTracking().Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);

    public async Task<CheckpointView?> LatestCheckpointAsync(CancellationToken ct = default)
    {
        var row = await db.LedgerCheckpoints.AsNoTracking().OrderByDescending(c => c.Size).FirstOrDefaultAsync(ct);
        return row is null ? null : new CheckpointView(row.Size, Convert.ToHexStringLower(row.RootHash), row.Note, row.CreatedAt);
    }

    /// <summary>An inclusion proof for one entry against the latest checkpoint; null when the entry is not covered yet.</summary>
    public async Task<InclusionProofView?> ProveAsync(long index, CancellationToken ct = default)
    {
        var checkpoint = await db.LedgerCheckpoints.AsNoTracking().OrderByDescending(c => c.Size).FirstOrDefaultAsync(ct);
        if (checkpoint is null || index < 0 || index >= checkpoint.Size)
        {
            return null;
        }
        var tree = new MerkleTree();
        await foreach (var e in ledger.Store.ReadAsync(0, checkpoint.Size, ct))
        {
            tree.Append(e.LeafHash);
        }
        var proof = tree.InclusionProof(index, checkpoint.Size);
        return new InclusionProofView(index, checkpoint.Size, Convert.ToHexStringLower(tree.LeafHash(index)), Convert.ToHexStringLower(checkpoint.RootHash),
            proof.Select(Convert.ToHexStringLower).ToList(), checkpoint.Note);
    }

    public Task<LedgerBundle> BundleAsync(LedgerFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return LedgerBundle.CreateAsync(ledger.Store, filter.Matches, ct);
    }
}
