using System.Globalization;
using System.Text;

namespace Proviso.Ledger.Checkpoints;

/// <summary>A signed tree head in the C2SP tlog-checkpoint format: origin, tree size, root hash.</summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash)
{
    /// <summary>The note body: <c>origin\nsize\nbase64(root)\n</c>.</summary>
    public string Body => $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n";

    /// <summary>Signs the body with <paramref name="signer"/>, producing the full signed note text.</summary>
    public string Sign(NoteSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var body = Body;
        var signature = signer.Sign(Encoding.UTF8.GetBytes(body));
        return $"{body}\n\u2014 {signer.Name} {Convert.ToBase64String([.. signer.KeyId, .. signature])}\n";
    }

    /// <summary>
    /// Parses a signed checkpoint note and checks it carries a valid signature from one of
    /// <paramref name="verifiers"/>. Unknown signers are ignored, as C2SP requires.
    /// </summary>
    public static Checkpoint ParseAndVerify(string note, IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(verifiers);
        var split = note.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n'))
        {
            throw new CheckpointException("The checkpoint is not a signed note (no blank line before the signatures).");
        }
        var body = note[..(split + 1)];
        var lines = body.Split('\n');
        if (lines.Length < 4 || lines[0].Length == 0)
        {
            throw new CheckpointException("The checkpoint body needs an origin, a tree size and a root hash.");
        }
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
        {
            throw new CheckpointException($"The checkpoint's tree size '{lines[1]}' is not a decimal number.");
        }
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new CheckpointException("The checkpoint's root hash is not base64.");
        }
        if (root.Length != 32)
        {
            throw new CheckpointException("The checkpoint's root hash is not 32 bytes.");
        }
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var known = verifiers.ToList();
        var verified = false;
        foreach (var line in note[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("\u2014 ", StringComparison.Ordinal))
            {
                throw new CheckpointException("A signature line must start with an em dash.");
            }
            var parts = line[2..].Split(' ');
            if (parts.Length != 2)
            {
                throw new CheckpointException("A signature line is '— name base64'.");
            }
            byte[] sig;
            try
            {
                sig = Convert.FromBase64String(parts[1]);
            }
            catch (FormatException)
            {
                throw new CheckpointException("A checkpoint signature is not base64.");
            }
            if (sig.Length < 5)
            {
                throw new CheckpointException("A checkpoint signature is too short.");
            }
            foreach (var v in known.Where(v => v.Name == parts[0] && v.KeyId.AsSpan().SequenceEqual(sig.AsSpan(0, 4))))
            {
                if (!v.Verify(bodyBytes, sig.AsSpan(4)))
                {
                    throw new CheckpointException($"The checkpoint's signature by {v.Name} does not verify.");
                }
                verified = true;
            }
        }
        return verified
            ? new Checkpoint(lines[0], size, root)
            : throw new CheckpointException("The checkpoint is not signed by any of the given keys.");
    }
}

/// <summary>A checkpoint that cannot be parsed or verified.</summary>
public sealed class CheckpointException(string message) : Exception(message);
