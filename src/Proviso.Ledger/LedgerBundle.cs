using System.Text.Json;
using System.Text.Json.Nodes;
using Proviso.Ledger.Checkpoints;
using Proviso.Ledger.Merkle;
using Proviso.Ledger.Records;
using Proviso.Ledger.Storage;

namespace Proviso.Ledger;

/// <summary>One exported entry: its record and the audit path to the bundle's checkpoint.</summary>
public sealed record BundleEntry(long Index, JsonElement Record, IReadOnlyList<string> Proof);

/// <summary>
/// A self-contained export: selected records with inclusion proofs against one signed checkpoint.
/// An auditor verifies it with nothing but the file and the log's public key.
/// </summary>
public sealed record LedgerBundle(string Format, string Origin, string Checkpoint, long TreeSize, IReadOnlyList<BundleEntry> Entries)
{
    /// <summary>The format tag written into every bundle.</summary>
    public const string FormatTag = "proviso-ledger-bundle/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Builds a bundle of the entries <paramref name="select"/> accepts, proven against the latest checkpoint.</summary>
    public static async Task<LedgerBundle> CreateAsync(ILedgerStore store, Func<LedgerRecord, bool> select, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(select);
        var checkpoints = await store.CheckpointsAsync(ct);
        if (checkpoints.Count == 0)
        {
            throw new LedgerException("The ledger has no checkpoint yet; nothing to export.");
        }
        var latest = checkpoints[^1];
        var tree = new MerkleTree();
        var chosen = new List<(long Index, byte[] Payload)>();
        await foreach (var e in store.ReadAsync(0, latest.Size, ct))
        {
            tree.Append(e.LeafHash);
            if (select(LedgerRecord.Parse(e.Payload)))
            {
                chosen.Add((e.Index, e.Payload));
            }
        }
        var origin = latest.Note[..latest.Note.IndexOf('\n', StringComparison.Ordinal)];
        var entries = chosen.Select(c => new BundleEntry(c.Index, JsonDocument.Parse(c.Payload).RootElement.Clone(),
            tree.InclusionProof(c.Index, latest.Size).Select(Convert.ToBase64String).ToList())).ToList();
        return new LedgerBundle(FormatTag, origin, latest.Note, latest.Size, entries);
    }

    /// <summary>Writes the bundle as indented JSON.</summary>
    public void WriteTo(Stream stream) => JsonSerializer.Serialize(stream, this, Json);

    /// <summary>
    /// Verifies a bundle file offline. Throws <see cref="LedgerException"/> naming the first entry or
    /// part that fails; returns the number of entries proven.
    /// </summary>
    public static int Verify(Stream bundle, NoteVerifier key, string? expectedOrigin = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        LedgerBundle? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<LedgerBundle>(bundle, Json);
        }
        catch (JsonException ex)
        {
            throw new LedgerException($"The bundle is not valid JSON (truncated or corrupted): {ex.Message.Split(" Path:")[0]}");
        }
        if (parsed is null || parsed.Format != FormatTag || parsed.Checkpoint is null || parsed.Entries is null)
        {
            throw new LedgerException($"The file is not a {FormatTag} bundle.");
        }
        Checkpoint cp;
        try
        {
            cp = Checkpoints.Checkpoint.ParseAndVerify(parsed.Checkpoint, [key]);
        }
        catch (CheckpointException ex)
        {
            throw new LedgerException($"The bundle's checkpoint does not verify with this key: {ex.Message}");
        }
        if (expectedOrigin is not null && cp.Origin != expectedOrigin)
        {
            throw new LedgerException($"The bundle comes from another log ('{cp.Origin}').");
        }
        if (cp.Size != parsed.TreeSize)
        {
            throw new LedgerException("The bundle's tree size differs from its checkpoint.");
        }
        foreach (var e in parsed.Entries)
        {
            byte[] leaf;
            byte[][] proof;
            try
            {
                leaf = Rfc6962.LeafHash(CanonicalJson.Canonicalize(e.Record));
                proof = e.Proof.Select(Convert.FromBase64String).ToArray();
            }
            catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
            {
                throw new LedgerException($"Entry {e.Index} is malformed: {ex.Message}");
            }
            if (!ProofVerifier.VerifyInclusion(e.Index, cp.Size, leaf, proof, cp.RootHash))
            {
                throw new LedgerException($"Entry {e.Index} is not in the log signed by the checkpoint: it was altered or its proof is wrong.");
            }
        }
        return parsed.Entries.Count;
    }
}
