using System.Text.Json;
using System.Text.Json.Serialization;

namespace Proviso.Ledger.Records;

/// <summary>
/// What the ledger holds: who did what to which subject, when, and (for data shares) the vendor,
/// categories and counts. Never raw personal data — only identifiers, counts and hashes.
/// </summary>
public sealed record LedgerRecord
{
    /// <summary>Dotted action name, e.g. <c>vendor.created</c>, <c>gateway.call</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The person or key that acted.</summary>
    public required string Actor { get; init; }

    /// <summary>When the action happened (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Kind of subject, e.g. <c>vendor</c>, <c>user</c>, <c>api-key</c>.</summary>
    public string? SubjectType { get; init; }

    /// <summary>Identifier of the subject.</summary>
    public string? SubjectId { get; init; }

    /// <summary>Vendor the action concerns, when there is one; export filters on it.</summary>
    public string? Vendor { get; init; }

    /// <summary>Action-specific facts: strings, integers, booleans, lists and objects of them.</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The canonical (RFC 8785) bytes that become the Merkle leaf.</summary>
    public byte[] ToCanonicalJson() => CanonicalJson.TryWriteRecord(this) ?? ToCanonicalJsonBySerializing();

    /// <summary>The general path: serialize, then canonicalize the document (the reference the direct writer is tested against).</summary>
    internal byte[] ToCanonicalJsonBySerializing() => CanonicalJson.Canonicalize(this with { Time = Time.ToUniversalTime() }, Options);

    /// <summary>Reads a record back from its canonical bytes.</summary>
    public static LedgerRecord Parse(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize<LedgerRecord>(payload, Options) ?? throw new JsonException("Empty ledger record.");
}
