using System.Text;
using System.Text.Json;
using Proviso.Ledger.Checkpoints;
using Proviso.Ledger.Records;

namespace Proviso.Ledger.Tests;

public class CheckpointAndEncodingTests
{
    [Fact]
    public void Checkpoint_SignedNote_HasTheC2spShape_AndRoundTrips()
    {
        var (signer, verifier) = NoteKeys.Generate("proviso.example");
        using var s = new NoteSigner(signer);
        var root = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var note = new Checkpoint("proviso.example/ledger", 42, root).Sign(s);

        var lines = note.Split('\n');
        Assert.Equal("proviso.example/ledger", lines[0]);
        Assert.Equal("42", lines[1]);
        Assert.Equal(Convert.ToBase64String(root), lines[2]);
        Assert.Equal("", lines[3]);
        Assert.StartsWith("\u2014 proviso.example ", lines[4]);
        Assert.Equal(4 + 64, Convert.FromBase64String(lines[4].Split(' ')[2]).Length);
        Assert.Equal(s.Verifier, verifier);

        var parsed = Checkpoint.ParseAndVerify(note, [new NoteVerifier(verifier)]);
        Assert.Equal(42, parsed.Size);
        Assert.Equal(root, parsed.RootHash);
    }

    [Theory]
    [InlineData("1", "2")]
    [InlineData("proviso.example/ledger", "evil.example/ledger")]
    public void Checkpoint_AnyBodyChange_BreaksTheSignature(string from, string to)
    {
        var (signer, verifier) = NoteKeys.Generate("k");
        using var s = new NoteSigner(signer);
        var note = new Checkpoint("proviso.example/ledger", 1, new byte[32]).Sign(s);
        var idx = note.IndexOf(from, StringComparison.Ordinal);
        var forged = note[..idx] + to + note[(idx + from.Length)..];
        Assert.Throws<CheckpointException>(() => Checkpoint.ParseAndVerify(forged, [new NoteVerifier(verifier)]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("origin\n12\n")]
    [InlineData("origin\nx\nAAAA\n\n\u2014 k AAAA\n")]
    [InlineData("origin\n1\nnot-base64!\n\n\u2014 k AAAA\n")]
    public void Checkpoint_Malformed_IsAClearError(string note) =>
        Assert.Throws<CheckpointException>(() => Checkpoint.ParseAndVerify(note, [new NoteVerifier(NoteKeys.Generate("k").Verifier)]));

    [Theory]
    [InlineData("k+deadbeef+AAAA")]
    [InlineData("k+deadbeef+not base64")]
    [InlineData("no-plus-signs")]
    [InlineData("PRIVATE+KEY+k+00000000+AQ==")]
    public void Keys_Malformed_AreRejected(string key) =>
        Assert.Throws<FormatException>(() => new NoteVerifier(key));

    [Fact]
    public void Keys_IdMismatch_IsRejected()
    {
        var (_, verifier) = NoteKeys.Generate("k");
        var parts = verifier.Split('+');
        Assert.Throws<FormatException>(() => new NoteVerifier($"{parts[0]}+00000000+{parts[2]}"));
    }

    [Fact]
    public void CanonicalJson_SortsKeysByCodeUnits_EscapesMinimally_AndHasNoWhitespace()
    {
        var json = "{ \"b\": [1, true, null], \"a\": \"x\\u00e9\\n\\u0001\\\"\", \"\\u20ac\": {\"z\":1,\"Z\":2}, \"aa\": -9007199254740991 }";
        var canonical = Encoding.UTF8.GetString(CanonicalJson.CanonicalizeUtf8(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("{\"a\":\"xé\\n\\u0001\\\"\",\"aa\":-9007199254740991,\"b\":[1,true,null],\"€\":{\"Z\":2,\"z\":1}}", canonical);
    }

    [Theory]
    [InlineData("{\"x\":1.5}")]
    [InlineData("{\"x\":9007199254740993}")]
    public void CanonicalJson_RejectsNumbersItCannotRepresentExactly(string json) =>
        Assert.Throws<JsonException>(() => CanonicalJson.CanonicalizeUtf8(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Record_CanonicalBytes_AreStableAcrossOffsets()
    {
        var t = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.FromHours(2));
        var a = new LedgerRecord { Action = "a", Actor = "x", Time = t }.ToCanonicalJson();
        var b = new LedgerRecord { Action = "a", Actor = "x", Time = t.ToUniversalTime() }.ToCanonicalJson();
        Assert.Equal(a, b);
        Assert.Equal("a", LedgerRecord.Parse(a).Action);
    }
}
