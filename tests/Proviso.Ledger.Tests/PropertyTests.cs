using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Proviso.Ledger.Merkle;

namespace Proviso.Ledger.Tests;

/// <summary>Invariants over random trees: every honest proof verifies, any single changed byte is caught.</summary>
public class PropertyTests
{
    private static MerkleTree RandomTree(int size, int seed)
    {
        var random = new Random(seed);
        var tree = new MerkleTree();
        for (var i = 0; i < size; i++)
        {
            var data = new byte[random.Next(0, 40)];
            random.NextBytes(data);
            tree.Append(Rfc6962.LeafHash(data));
        }
        return tree;
    }

    [Property(MaxTest = 300)]
    public Property EveryInclusionProof_Verifies_AndAnyFlippedByteFails(PositiveInt sizeSeed, int seed, NonNegativeInt pick, NonNegativeInt bytePick)
    {
        var size = (sizeSeed.Get % 300) + 1;
        var tree = RandomTree(size, seed);
        var index = pick.Get % size;
        var proof = tree.InclusionProof(index, size);
        var root = tree.RootAt(size);
        var honest = ProofVerifier.VerifyInclusion(index, size, tree.LeafHash(index), proof, root);

        // Change one byte anywhere: in the leaf hash, the root, or a proof element.
        var parts = new List<byte[]> { tree.LeafHash(index).ToArray(), root.ToArray() };
        parts.AddRange(proof.Select(p => p.ToArray()));
        var flat = bytePick.Get % (parts.Count * 32);
        parts[flat / 32][flat % 32] ^= 0x01;
        var tampered = ProofVerifier.VerifyInclusion(index, size, parts[0], parts.Skip(2).ToList(), parts[1]);

        return (honest && !tampered).Label($"size {size}, index {index}, proof {proof.Count}");
    }

    [Property(MaxTest = 300)]
    public Property EveryConsistencyProof_Verifies_AndAnyFlippedByteFails(PositiveInt secondSeed, NonNegativeInt firstSeed, int seed, NonNegativeInt bytePick)
    {
        var second = (secondSeed.Get % 300) + 1;
        var first = (firstSeed.Get % second) + 1;
        var tree = RandomTree(second, seed);
        var proof = tree.ConsistencyProof(first, second);
        var r1 = tree.RootAt(first);
        var r2 = tree.RootAt(second);
        var honest = ProofVerifier.VerifyConsistency(first, second, r1, r2, proof);
        var parts = new List<byte[]> { r1.ToArray(), r2.ToArray() };
        parts.AddRange(proof.Select(p => p.ToArray()));
        var flat = bytePick.Get % (parts.Count * 32);
        parts[flat / 32][flat % 32] ^= 0x01;
        var tampered = ProofVerifier.VerifyConsistency(first, second, parts[0], parts[1], parts.Skip(2).ToList());
        return (honest && !tampered).Label($"{first} -> {second}, proof {proof.Count}");
    }

    [Property(MaxTest = 100)]
    public Property ProofSize_IsAtMostCeilLog2OfTreeSizeHashes(PositiveInt sizeSeed, int seed)
    {
        var size = (sizeSeed.Get % 2000) + 1;
        var tree = RandomTree(size, seed);
        var bound = size == 1 ? 0 : (int)Math.Ceiling(Math.Log2(size));
        var worst = Enumerable.Range(0, size).Max(i => tree.InclusionProof(i, size).Count);
        return (worst <= bound).Label($"size {size}: worst {worst} > {bound}");
    }
}
