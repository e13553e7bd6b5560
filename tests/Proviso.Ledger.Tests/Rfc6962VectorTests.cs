using System.Text.Json;
using Proviso.Ledger.Merkle;

namespace Proviso.Ledger.Tests;

/// <summary>The reference vectors of transparency-dev/merkle (tests/data/rfc6962/SOURCES.md).</summary>
public class Rfc6962VectorTests
{
    private sealed record Inclusion(long Index, long Size, string[] Proof);
    private sealed record Consistency(long First, long Second, string[] Proof);
    private sealed record Vectors(string[] Leaves, string[] Roots, string[] LeafHashes, Inclusion[] Inclusion, Consistency[] Consistency);

    private static readonly Vectors V = JsonSerializer.Deserialize<Vectors>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "rfc6962", "vectors.json")),
        new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    private static byte[] H(string hex) => Convert.FromHexString(hex);

    private static MerkleTree Tree(int size) => new(V.Leaves.Take(size).Select(l => Rfc6962.LeafHash(H(l))));

    [Fact]
    public void LeafHashes_MatchReference() =>
        Assert.Equal(V.LeafHashes, V.Leaves.Select(l => Convert.ToHexStringLower(Rfc6962.LeafHash(H(l)))));

    [Fact]
    public void Roots_ForEverySize_MatchReference_ThroughBothTreeAndCompactRange()
    {
        var full = Tree(8);
        var compact = new CompactRange();
        Assert.Equal(V.Roots[0], Convert.ToHexStringLower(compact.Root()));
        for (var size = 1; size <= 8; size++)
        {
            compact.Append(Rfc6962.LeafHash(H(V.Leaves[size - 1])));
            Assert.Equal(V.Roots[size], Convert.ToHexStringLower(full.RootAt(size)));
            Assert.Equal(V.Roots[size], Convert.ToHexStringLower(compact.Root()));
        }
    }

    [Fact]
    public void InclusionProofs_AreGeneratedExactly_AndVerify()
    {
        var tree = Tree(8);
        foreach (var v in V.Inclusion)
        {
            var proof = tree.InclusionProof(v.Index, v.Size);
            Assert.Equal(v.Proof, proof.Select(Convert.ToHexStringLower));
            Assert.True(ProofVerifier.VerifyInclusion(v.Index, v.Size, tree.LeafHash(v.Index), proof, H(V.Roots[v.Size])));
        }
    }

    [Fact]
    public void ConsistencyProofs_AreGeneratedExactly_AndVerify()
    {
        var tree = Tree(8);
        foreach (var v in V.Consistency)
        {
            var proof = tree.ConsistencyProof(v.First, v.Second);
            Assert.Equal(v.Proof, proof.Select(Convert.ToHexStringLower));
            Assert.True(ProofVerifier.VerifyConsistency(v.First, v.Second, H(V.Roots[v.First]), H(V.Roots[v.Second]), proof));
        }
    }

    public static TheoryData<string> Corruptions => ["index-1", "index+1", "index^2", "size*2", "size/2", "wrong-leaf", "empty-root", "trailing", "leading", "flip", "drop", "insert"];

    /// <summary>The same corruption probes the reference generates: every one must be rejected.</summary>
    [Theory, MemberData(nameof(Corruptions))]
    public void InclusionProbes_Corrupted_AreRejected(string corruption)
    {
        var tree = Tree(8);
        var someHash = H("abacaba000000000000000000000000000000000000000000060061e00123456");
        foreach (var v in V.Inclusion.Where(v => v.Size > 1))
        {
            var proof = tree.InclusionProof(v.Index, v.Size).ToList();
            var (index, size, leaf, root) = (v.Index, v.Size, tree.LeafHash(v.Index), H(V.Roots[v.Size]));
            switch (corruption)
            {
                case "index-1": index--; break;
                case "index+1": index++; break;
                case "index^2": index ^= 2; break;
                case "size*2": size *= 2; break;
                case "size/2": size /= 2; break;
                case "wrong-leaf": leaf = someHash; break;
                case "empty-root": root = Rfc6962.EmptyRoot(); break;
                case "trailing": proof.Add(root); break;
                case "leading": proof.Insert(0, root); break;
                case "flip": proof[0] = [.. proof[0]]; proof[0][0] ^= 8; break;
                case "drop": proof.RemoveAt(proof.Count - 1); break;
                case "insert": proof.Insert(1, someHash); break;
            }
            Assert.False(ProofVerifier.VerifyInclusion(index, size, leaf, proof, root), $"{corruption} accepted for leaf {v.Index} of {v.Size}");
        }
    }

    [Fact]
    public void ConsistencyProbes_Corrupted_AreRejected()
    {
        var tree = Tree(8);
        foreach (var v in V.Consistency.Where(v => v.First < v.Second))
        {
            var proof = tree.ConsistencyProof(v.First, v.Second).ToList();
            var r1 = H(V.Roots[v.First]);
            var r2 = H(V.Roots[v.Second]);
            Assert.False(ProofVerifier.VerifyConsistency(v.First, v.Second, r2, r1, proof));
            // (A size off by one can leave RFC 9162's walk unchanged — e.g. 6→7 and 6→8 — which is harmless
            // because checkpoints sign size and root together; a doubled size never can.)
            Assert.False(ProofVerifier.VerifyConsistency(v.First, v.Second * 2, r1, r2, proof));
            Assert.False(ProofVerifier.VerifyConsistency(v.First, v.Second, r1, r2, proof.Take(proof.Count - 1).ToList()));
            Assert.False(ProofVerifier.VerifyConsistency(v.First, v.Second, r1, r2, [.. proof, r1]));
            var flipped = proof.Select(p => p.ToArray()).ToList();
            flipped[^1][5] ^= 1;
            Assert.False(ProofVerifier.VerifyConsistency(v.First, v.Second, r1, r2, flipped));
        }
        Assert.False(ProofVerifier.VerifyConsistency(3, 2, H(V.Roots[3]), H(V.Roots[2]), []));
    }
}
