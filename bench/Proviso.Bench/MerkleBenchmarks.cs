using BenchmarkDotNet.Attributes;
using Proviso.Ledger.Merkle;

namespace Proviso.Bench;

[MemoryDiagnoser]
public class MerkleBenchmarks
{
    private readonly byte[] _record = new byte[300];
    private MerkleTree _tree = null!;
    private byte[] _root = null!;
    private IReadOnlyList<byte[]> _proof = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_record);
        _tree = new MerkleTree();
        for (var i = 0; i < 1 << 16; i++)
        {
            _tree.Append(Rfc6962.LeafHash(BitConverter.GetBytes(i)));
        }
        _root = _tree.RootAt(_tree.Size);
        _proof = _tree.InclusionProof(12345, _tree.Size);
    }

    [Benchmark]
    public byte[] LeafHash300Bytes() => Rfc6962.LeafHash(_record);

    [Benchmark]
    public IReadOnlyList<byte[]> InclusionProof64k() => _tree.InclusionProof(12345, _tree.Size);

    [Benchmark]
    public bool VerifyInclusion64k() => ProofVerifier.VerifyInclusion(12345, _tree.Size, _tree.LeafHash(12345), _proof, _root);
}
