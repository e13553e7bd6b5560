namespace Proviso.Ledger.Merkle;

/// <summary>
/// The right frontier of a Merkle tree: the roots of the perfect subtrees that cover leaves [0, n).
/// Appending is amortized O(1) and computing the root O(log n), with O(log n) memory — enough to
/// verify a log of any size in one streaming pass.
/// </summary>
public sealed class CompactRange
{
    private readonly List<(int Level, byte[] Hash)> _nodes = [];

    /// <summary>A copy that can be extended without changing this one.</summary>
    public CompactRange Clone()
    {
        var copy = new CompactRange { Size = Size };
        copy._nodes.AddRange(_nodes);
        return copy;
    }

    /// <summary>Number of leaves appended.</summary>
    public long Size { get; private set; }

    /// <summary>Appends a leaf hash (not leaf data).</summary>
    public void Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        var node = (Level: 0, Hash: leafHash);
        while (_nodes.Count > 0 && _nodes[^1].Level == node.Level)
        {
            var left = _nodes[^1];
            _nodes.RemoveAt(_nodes.Count - 1);
            node = (node.Level + 1, Rfc6962.NodeHash(left.Hash, node.Hash));
        }
        _nodes.Add(node);
        Size++;
    }

    /// <summary>MTH of the leaves appended so far (the empty-tree hash when none).</summary>
    public byte[] Root()
    {
        if (_nodes.Count == 0)
        {
            return Rfc6962.EmptyRoot();
        }
        var root = _nodes[^1].Hash;
        for (var i = _nodes.Count - 2; i >= 0; i--)
        {
            root = Rfc6962.NodeHash(_nodes[i].Hash, root);
        }
        return root;
    }
}
