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
    public PayloadFindings Pseudonymize(JsonNode node, GatewayPolicy policy, string scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(policy);
        var findings = new PayloadFindings();
        Walk(node, null, policy, scope, findings);
        return findings;
    }

    private void Walk(JsonNode node, string? property, GatewayPolicy policy, string scope, PayloadFindings findings)
    {
        if (findings.Blocked is not null)
        {
            return;
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is null || Structural.Contains(key))
                    {
                        continue;
                    }
                    if (child is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        obj[key] = Mask(s, key, policy, scope, findings);
                    }
                    else
                    {
                        Walk(child, key, policy, scope, findings);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        array[i] = Mask(s, property, policy, scope, findings);
                    }
                    else if (array[i] is { } child)
                    {
                        Walk(child, property, policy, scope, findings);
                    }
                }
                break;
        }
    }

    private string Mask(string text, string? hint, GatewayPolicy policy, string scope, PayloadFindings findings)
    {
        var detected = detector.Detect(text, hint);
        if (detected.Count == 0)
        {
            return text;
        }
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
        return toMask.Count == 0 ? text : anonymizer.Anonymize(text, toMask, new OperatorConfig { Kind = OperatorKind.Token }, scope: scope).Text;
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
        RestoreNode(node, scope);
        return node.ToJsonString(JsonOptions);
    }

    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Restore(string text, string scope) => anonymizer.Deanonymize(text, scope);

    internal void RestoreNode(JsonNode node, string scope)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        obj[key] = anonymizer.Deanonymize(s, scope);
                    }
                    else if (child is not null)
                    {
                        RestoreNode(child, scope);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        array[i] = anonymizer.Deanonymize(s, scope);
                    }
                    else if (array[i] is { } child)
                    {
                        RestoreNode(child, scope);
                    }
                }
                break;
        }
    }
}
