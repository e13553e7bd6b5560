using System.Text.Json.Nodes;
using Proviso.Privacy;
using Proviso.Privacy.Operators;
using Proviso.Vendors;

namespace Proviso.Gateway;

/// <summary>What a request carried, by category and entity type — counts only, never values.</summary>
public sealed class PayloadFindings
{
    public Dictionary<DataCategory, int> Categories { get; } = [];
    public Dictionary<string, int> Types { get; } = new(StringComparer.Ordinal);
    public DataCategory? Blocked { get; set; }
    public string? BlockedType { get; set; }
}

/// <summary>
/// Pseudonymizes every free-text field of an AI request (message contents, tool-call arguments,
/// prompts, inputs) through the vault, and restores pseudonyms in responses.
/// </summary>
public sealed class PayloadPseudonymizer(PiiDetector detector, Anonymizer anonymizer)
{
    /// <summary>The same pseudonymizer over another vault (one request's <see cref="PseudonymBatch"/>).</summary>
    public PayloadPseudonymizer With(IPseudonymVault vault) => new(detector, anonymizer.With(vault));

    /// <summary>Fields that carry protocol values, not user text.</summary>
    private static readonly HashSet<string> Structural = new(StringComparer.Ordinal)
    {
        "model", "role", "type", "id", "tool_call_id", "object", "finish_reason", "response_format", "encoding_format", "service_tier",
        "reasoning_effort", "tool_choice", "stop", "user", "previous_response_id", "format", "detail", "image_url", "url", "voice",
    };

    public static DataCategory CategoryOf(string entityType) => entityType switch
    {
        Entities.Person or Entities.Email or Entities.Phone or Entities.StreetAddress or Entities.IpAddress or Entities.MacAddress or Entities.Url => DataCategory.ContactData,
        Entities.CreditCard or Entities.Iban or Entities.UsBankNumber or Entities.AbaRouting or Entities.Crypto => DataCategory.Financial,
        Entities.MedicalRecordNumber or Entities.UkNhs => DataCategory.Health,
        Entities.Secret => DataCategory.Credentials,
        Entities.DateOfBirth => DataCategory.ContactData,
        _ => DataCategory.GovernmentIdentifiers,
    };

    /// <summary>Walks <paramref name="node"/> in place. Stops at the first blocked category (nothing is forwarded then).</summary>
    /// <remarks>
    /// Every string is scanned first, then each is also searched for the values found in the others: a name a cue revealed in
    /// the system prompt ("the customer, Mali, …") is masked in the user's message too, where nothing says it is a name.
    /// </remarks>
    public PayloadFindings Pseudonymize(JsonNode node, GatewayPolicy policy, string scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(policy);
        if (node is JsonValue && node.Parent is null && node.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            // A bare string is a whole document (a generic route's body "Call Ana on …"): it has no parent to take its masked
            // copy, so the caller must hand it in a holder — skipping it would forward it unmasked.
            throw new ArgumentException("A document that is a bare string is pseudonymized through PseudonymizeRoot.", nameof(node));
        }
        var findings = new PayloadFindings();
        var slots = new List<Slot>();
        Collect(node, null, slots);
        KnownValues? known = null;
        if (slots.Count > 1 && detector.RepeatValues)
        {
            foreach (var slot in slots)
            {
                if (slot.Found.Count > 0)
                {
                    (known ??= new KnownValues()).Add(slot.Text, slot.Found);
                }
            }
        }
        foreach (var slot in slots)
        {
            known?.FindIn(slot.Text, slot.Found);
            if (slot.Found.Count == 0)
            {
                continue;
            }
            var masked = Mask(slot.Text, slot.Found, policy, scope, findings);
            if (findings.Blocked is not null)
            {
                break;
            }
            if (!ReferenceEquals(masked, slot.Text))
            {
                if (slot.Parent is JsonObject obj)
                {
                    obj[slot.Key!] = masked;
                }
                else
                {
                    ((JsonArray)slot.Parent)[slot.Index] = masked;
                }
            }
        }
        return findings;
    }

    /// <summary>
    /// <see cref="Pseudonymize(JsonNode, GatewayPolicy, string)"/> for a whole document, whose root may be a bare string: then
    /// <paramref name="document"/> is replaced by its masked copy.
    /// </summary>
    public PayloadFindings PseudonymizeRoot(ref JsonNode document, GatewayPolicy policy, string scope)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document is not JsonValue)
        {
            return Pseudonymize(document, policy, scope);
        }
        var holder = new JsonArray(document);
        var findings = Pseudonymize(holder, policy, scope);
        document = holder[0]!;
        holder.Clear(); // the masked value leaves its holder: it is the document now
        return findings;
    }

    /// <summary>A string of the request, where it sits, and what was found in it.</summary>
    private sealed record Slot(JsonNode Parent, string? Key, int Index, string Text, List<Finding> Found);

    private void Collect(JsonNode node, string? property, List<Slot> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (child is null || Structural.Contains(key))
                    {
                        continue;
                    }
                    if (child is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        slots.Add(new Slot(obj, key, -1, s, detector.Detect(s, key)));
                    }
                    else
                    {
                        Collect(child, key, slots);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        slots.Add(new Slot(array, null, i, s, detector.Detect(s, property)));
                    }
                    else if (array[i] is { } child)
                    {
                        Collect(child, property, slots);
                    }
                }
                break;
        }
    }

    private static readonly OperatorConfig TokenOperator = new() { Kind = OperatorKind.Token };

    private string Mask(string text, List<Finding> detected, GatewayPolicy policy, string scope, PayloadFindings findings)
    {
        var toMask = new List<Finding>(detected.Count);
        foreach (var f in detected)
        {
            var category = CategoryOf(f.Type);
            findings.Categories[category] = findings.Categories.GetValueOrDefault(category) + 1;
            findings.Types[f.Type] = findings.Types.GetValueOrDefault(f.Type) + 1;
            switch (policy.ActionFor(category))
            {
                case CategoryAction.Block:
                    findings.Blocked = category;
                    findings.BlockedType = f.Type;
                    return text;
                case CategoryAction.Mask:
                    toMask.Add(f);
                    break;
            }
        }
        return toMask.Count == 0 ? text : anonymizer.Anonymize(text, toMask, TokenOperator, scope: scope).Text;
    }

    /// <summary>Restores pseudonyms in every string of a JSON document (re-serialized, so originals are escaped correctly).</summary>
    public string RestoreJson(string json, string scope, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException) when (!strict)
        {
            return anonymizer.Deanonymize(json, scope);
        }
        if (node is null)
        {
            return json;
        }
        // Nothing to restore: the vendor's own text, as it came.
        return RestoreRoot(ref node, scope) ? node.ToJsonString(JsonOptions) : json;
    }

    /// <summary>
    /// <see cref="RestoreJson"/> from UTF-8 to UTF-8, without the text in between; null when nothing was restored (the caller
    /// passes the vendor's bytes on as they came). A body that does not parse as UTF-8 JSON takes the text route, so an answer
    /// with invalid bytes is treated exactly as there.
    /// </summary>
    public byte[]? RestoreJsonUtf8(ReadOnlySpan<byte> json, string scope, bool strict = false)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException) when (!strict)
        {
            // Text, then (a generic route's answer): restored as text at once, not parsed a second time on the way.
            return System.Text.Encoding.UTF8.GetBytes(anonymizer.Deanonymize(System.Text.Encoding.UTF8.GetString(json), scope));
        }
        return node is not null && RestoreRoot(ref node, scope) ? ToUtf8(node) : null;
    }

    /// <summary>
    /// <see cref="RestoreNode"/> for a whole document, whose root may itself be a string (an answer <c>"Dear ANNA_1, …"</c>):
    /// it has no parent to take the restored copy, so <paramref name="node"/> is replaced.
    /// </summary>
    private bool RestoreRoot(ref JsonNode node, string scope)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var s))
        {
            var restored = anonymizer.Deanonymize(s, scope);
            if (string.Equals(restored, s, StringComparison.Ordinal))
            {
                return false;
            }
            node = JsonValue.Create(restored);
            return true;
        }
        return RestoreNode(node, scope);
    }

    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly System.Text.Json.JsonWriterOptions WriterOptions = new() { Encoder = JsonOptions.Encoder, SkipValidation = true };

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The document as UTF-8 JSON, the same bytes as <c>ToJsonString(JsonOptions)</c> encoded, without the string between.</summary>
    public static byte[] ToUtf8(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer, JsonOptions);
        }
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1024 * 1024)
        {
            t_buffer = null; // a 4 MB body should not stay pinned to this thread
        }
        return bytes;
    }

    public string Restore(string text, string scope) => anonymizer.Deanonymize(text, scope);

    /// <summary>Restores every string under <paramref name="node"/> in place; whether any changed.</summary>
    internal bool RestoreNode(JsonNode node, string scope)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                for (var i = 0; i < obj.Count; i++)
                {
                    var child = obj.GetAt(i).Value;
                    if (child is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        var restored = anonymizer.Deanonymize(s, scope);
                        if (!string.Equals(restored, s, StringComparison.Ordinal))
                        {
                            obj.SetAt(i, restored);
                            changed = true;
                        }
                    }
                    else if (child is not null)
                    {
                        changed |= RestoreNode(child, scope);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        var restored = anonymizer.Deanonymize(s, scope);
                        if (!string.Equals(restored, s, StringComparison.Ordinal))
                        {
                            array[i] = restored;
                            changed = true;
                        }
                    }
                    else if (array[i] is { } child)
                    {
                        changed |= RestoreNode(child, scope);
                    }
                }
                break;
        }
        return changed;
    }
}
