using System.Security.Cryptography;
using Proviso.Ledger.Checkpoints;
using Proviso.Ledger.Merkle;
using Proviso.Ledger.Storage;

namespace Proviso.Ledger;

/// <summary>The outcome of checking a whole log.</summary>
/// <param name="Ok">True when every entry and checkpoint checked out.</param>
/// <param name="Entries">Entries read.</param>
/// <param name="Checkpoints">Checkpoints whose signature and root were checked.</param>
/// <param name="FirstBadIndex">The first entry that cannot be trusted, when not ok.</param>
/// <param name="Message">What was found, for a person.</param>
public sealed record VerificationResult(bool Ok, long Entries, int Checkpoints, long? FirstBadIndex, string Message);

/// <summary>
/// Recomputes the whole tree from the stored entries in one streaming pass (O(log n) memory) and
/// checks every stored leaf hash, every checkpoint's signature, origin and root. Because each
/// checkpoint's root is recomputed from the same ordered entries, successive checkpoints are
/// consistent exactly when all of them verify.
/// </summary>
public static class LedgerVerifier
{
    /// <summary>Verifies the log in <paramref name="store"/> against the trusted <paramref name="keys"/> and <paramref name="origin"/>.</summary>
    public static async Task<VerificationResult> VerifyAsync(ILedgerStore store, string origin, IReadOnlyList<NoteVerifier> keys,
        IProgress<long>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        var checkpoints = await store.CheckpointsAsync(ct);
        var size = await store.SizeAsync(ct);
        var frontier = new CompactRange();
        var next = 0;
        var lastGood = 0L;
        var leaf = new byte[Rfc6962.HashSize];

        VerificationResult Bad(long index, string message) => new(false, size, next, index, message);

        // Checkpoints for an empty tree (size 0) are checked before any entry.
        while (next < checkpoints.Count && checkpoints[next].Size == 0)
        {
            if (Check(checkpoints[next], frontier, origin, keys) is { } problem)
            {
                return Bad(0, problem);
            }
            next++;
        }
        var expected = 0L;
        await foreach (var entry in store.ReadAsync(0, long.MaxValue, ct))
        {
            if (entry.Index != expected)
            {
                return Bad(expected, $"Entry {expected} is missing (the next stored entry is {entry.Index}).");
            }
            Rfc6962.LeafHash(entry.Payload, leaf);
            if (!CryptographicOperations.FixedTimeEquals(leaf, entry.LeafHash))
            {
                return Bad(entry.Index, $"Entry {entry.Index} was altered: its content no longer matches its leaf hash.");
            }
            frontier.Append(entry.LeafHash);
            expected++;
            while (next < checkpoints.Count && checkpoints[next].Size == frontier.Size)
            {
                if (Check(checkpoints[next], frontier, origin, keys) is { } problem)
                {
                    return Bad(lastGood, $"{problem} The first untrusted entry is in {lastGood}..{frontier.Size - 1}.");
                }
                lastGood = frontier.Size;
                next++;
            }
            if ((expected & 0xFFFF) == 0)
            {
                progress?.Report(expected);
            }
        }
        progress?.Report(expected);
        if (next < checkpoints.Count)
        {
            var cp = checkpoints[next];
            return Bad(expected, $"The log has {expected} entries but a checkpoint commits to {cp.Size}: entries from {expected} on are missing (truncated).");
        }
        if (checkpoints.Count == 0 && expected > 0)
        {
            return Bad(0, "The log has entries but no checkpoint: nothing vouches for them.");
        }
        if (checkpoints.Count > 0 && checkpoints[^1].Size < expected)
        {
            return Bad(checkpoints[^1].Size, $"Entries {checkpoints[^1].Size}..{expected - 1} are not covered by any checkpoint.");
        }
        return new VerificationResult(true, expected, next, null, $"Verified {expected} entries and {next} checkpoints.");
    }

    private static string? Check(StoredCheckpoint cp, CompactRange frontier, string origin, IReadOnlyList<NoteVerifier> keys)
    {
        Checkpoint parsed;
        try
        {
            parsed = Checkpoint.ParseAndVerify(cp.Note, keys);
        }
        catch (CheckpointException ex)
        {
            return $"Checkpoint at size {cp.Size}: {ex.Message}";
        }
        if (parsed.Origin != origin)
        {
            return $"Checkpoint at size {cp.Size} belongs to another log ('{parsed.Origin}', expected '{origin}').";
        }
        if (parsed.Size != cp.Size || !parsed.RootHash.AsSpan().SequenceEqual(cp.RootHash))
        {
            return $"Checkpoint at size {cp.Size}: the signed note and the stored tree head differ.";
        }
        return CryptographicOperations.FixedTimeEquals(frontier.Root(), parsed.RootHash)
            ? null
            : $"Checkpoint at size {cp.Size} does not match the entries: the log was changed after it was signed.";
    }
}
