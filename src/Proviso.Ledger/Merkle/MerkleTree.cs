namespace Proviso.Ledger.Merkle;

/// <summary>
/// An in-memory Merkle tree over leaf hashes that keeps every complete subtree hash (2n hashes in
/// all), so any subtree hash, inclusion proof or consistency proof costs O(log n) node lookups.
/// Proof generation follows RFC 6962 §2.1.1 (PATH) and §2.1.2 (SUBPROOF).
/// </summary>
public sealed class MerkleTree
{
    // _levels[k][i] = hash of the perfect subtree of 2^k leaves starting at leaf i * 2^k.
    private readonly List<List<byte[]>> _levels = [[]];

    /// <summary>Creates an empty tree.</summary>
    public MerkleTree()
    {
    }

    /// <summary>Creates a tree over existing leaf hashes.</summary>
    public MerkleTree(IEnumerable<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        foreach (var h in leafHashes)
        {
            Append(h);
        }
    }

    /// <summary>Number of leaves.</summary>
    public long Size => _levels[0].Count;

    /// <summary>Appends a leaf hash and completes every subtree it closes.</summary>
    public void Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != Rfc6962.HashSize)
        {
            throw new ArgumentException("A leaf hash is 32 bytes.", nameof(leafHash));
        }
        _levels[0].Add(leafHash);
        var level = 0;
        while (_levels[level].Count % 2 == 0)
        {
            var nodes = _levels[level];
            var parent = Rfc6962.NodeHash(nodes[^2], nodes[^1]);
            if (_levels.Count == level + 1)
            {
                _levels.Add([]);
            }
            _levels[level + 1].Add(parent);
            level++;
        }
    }

    /// <summary>The leaf hash at <paramref name="index"/>.</summary>
    public byte[] LeafHash(long index) => _levels[0][checked((int)index)];

    /// <summary>MTH of the first <paramref name="size"/> leaves.</summary>
    public byte[] RootAt(long size)
    {
        if (size < 0 || size > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"Tree size {size} is outside 0..{Size}.");
        }
        return size == 0 ? Rfc6962.EmptyRoot() : RangeHash(0, size);
    }

    /// <summary>RFC 6962 PATH(index, D[0:size]): the audit path for one leaf.</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        if (size < 1 || size > Size || index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"No leaf {index} in a tree of size {size} (log size {Size}).");
        }
        var proof = new List<byte[]>();
        Path(index, 0, size, proof);
        return proof;
    }

    /// <summary>RFC 6962 PROOF(first, D[0:second]): shows the tree of size <paramref name="second"/> extends the one of size <paramref name="first"/>.</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long first, long second)
    {
        if (first < 0 || second > Size || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"No consistency proof from {first} to {second} (log size {Size}).");
        }
        var proof = new List<byte[]>();
        if (first > 0 && first < second)
        {
            SubProof(first, 0, second, true, proof);
        }
        return proof;
    }

    private void Path(long m, long start, long end, List<byte[]> proof)
    {
        var n = end - start;
        if (n == 1)
        {
            return;
        }
        var k = Rfc6962.SplitPoint(n);
        if (m < k)
        {
            Path(m, start, start + k, proof);
            proof.Add(RangeHash(start + k, end));
        }
        else
        {
            Path(m - k, start + k, end, proof);
            proof.Add(RangeHash(start, start + k));
        }
    }

    private void SubProof(long m, long start, long end, bool complete, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(RangeHash(start, end));
            }
            return;
        }
        var k = Rfc6962.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, complete, proof);
            proof.Add(RangeHash(start + k, end));
        }
        else
        {
            SubProof(m - k, start + k, end, false, proof);
            proof.Add(RangeHash(start, start + k));
        }
    }

    /// <summary>MTH(D[start:end]) where the range is one of RFC 6962's subtrees (start aligned to its left part's size).</summary>
    private byte[] RangeHash(long start, long end)
    {
        var n = end - start;
        if (n == 1)
        {
            return _levels[0][(int)start];
        }
        if ((n & (n - 1)) == 0 && start % n == 0)
        {
            var level = System.Numerics.BitOperations.Log2((ulong)n);
            return _levels[level][(int)(start >> level)];
        }
        var k = Rfc6962.SplitPoint(n);
        return Rfc6962.NodeHash(RangeHash(start, start + k), RangeHash(start + k, end));
    }
}
