using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Proviso.Ledger.Records;

/// <summary>
/// RFC 8785 (JSON Canonicalization Scheme) for the values ledger records use: objects, arrays,
/// strings, booleans, null and integers within ±2^53. Object members are sorted by their UTF-16 code
/// units, strings use JCS's minimal escaping, no whitespace is emitted. Non-integer numbers are
/// rejected rather than risk a formatting that differs from ECMAScript's (docs/decisions/0004).
/// </summary>
public static class CanonicalJson
{
    private const long MaxSafeInteger = 9007199254740991;

    /// <summary>Canonical UTF-8 bytes of a JSON document.</summary>
    public static byte[] Canonicalize(JsonElement element)
    {
        var sb = new StringBuilder();
        Write(element, sb, 0);
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    /// <summary>Canonical UTF-8 bytes of any value System.Text.Json can serialize.</summary>
    public static byte[] Canonicalize<T>(T value, JsonSerializerOptions? options = null) =>
        Canonicalize(JsonSerializer.SerializeToElement(value, options));

    /// <summary>Parses UTF-8 JSON and returns its canonical form; throws <see cref="JsonException"/> on invalid input.</summary>
    public static byte[] CanonicalizeUtf8(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
        using var doc = JsonDocument.ParseValue(ref reader);
        return Canonicalize(doc.RootElement);
    }

    private static void Write(JsonElement e, StringBuilder sb, int depth)
    {
        if (depth > 64)
        {
            throw new JsonException("Ledger records nest at most 64 levels deep.");
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }
                    first = false;
                    WriteString(p.Name, sb);
                    sb.Append(':');
                    Write(p.Value, sb, depth + 1);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0)
                    {
                        sb.Append(',');
                    }
                    Write(item, sb, depth + 1);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(e.GetString()!, sb);
                break;
            case JsonValueKind.Number:
                if (!e.TryGetInt64(out var n) || n > MaxSafeInteger || n < -MaxSafeInteger)
                {
                    throw new JsonException($"Ledger records hold only integers within ±2^53; got {e.GetRawText()}.");
                }
                sb.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Null:
                sb.Append("null");
                break;
            default:
                throw new JsonException($"Unsupported JSON value kind {e.ValueKind}.");
        }
    }

    [ThreadStatic]
    private static StringBuilder? t_record;

    /// <summary>
    /// The canonical form of a ledger record written straight from its fields — the same bytes as serializing it and
    /// canonicalizing the result (a test compares both on random records), without the document in between. Null when a
    /// value is of a kind only the general path handles (then that path decides, errors included).
    /// </summary>
    internal static byte[]? TryWriteRecord(LedgerRecord record)
    {
        var sb = t_record ??= new StringBuilder(1024);
        sb.Clear();
        // Members in ordinal order of their JSON names; nulls left out, as the serializer leaves them out.
        sb.Append("{\"action\":");
        if (!TryWriteText(record.Action, sb))
        {
            return null;
        }
        sb.Append(",\"actor\":");
        if (!TryWriteText(record.Actor, sb))
        {
            return null;
        }
        if (record.Details is { } details)
        {
            sb.Append(",\"details\":");
            if (!TryWriteValue(details, sb, 1))
            {
                return null;
            }
        }
        if (record.SubjectId is { } subjectId)
        {
            sb.Append(",\"subjectId\":");
            if (!TryWriteText(subjectId, sb))
            {
                return null;
            }
        }
        if (record.SubjectType is { } subjectType)
        {
            sb.Append(",\"subjectType\":");
            if (!TryWriteText(subjectType, sb))
            {
                return null;
            }
        }
        sb.Append(",\"time\":\"");
        AppendTime(record.Time.UtcDateTime, sb);
        sb.Append('"');
        if (record.Vendor is { } vendor)
        {
            sb.Append(",\"vendor\":");
            if (!TryWriteText(vendor, sb))
            {
                return null;
            }
        }
        sb.Append('}');
        var bytes = new UTF8Encoding(false).GetBytes(sb.ToString());
        if (sb.Capacity > 64 * 1024)
        {
            t_record = null;
        }
        return bytes;
    }

    /// <summary>As System.Text.Json writes a UTC DateTimeOffset: round-trip format, fraction without trailing zeros.</summary>
    private static void AppendTime(DateTime utc, StringBuilder sb)
    {
        Span<char> buffer = stackalloc char[40];
        if (!utc.TryFormat(buffer, out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture))
        {
            throw new FormatException("Unexpected time format.");
        }
        while (buffer[written - 1] == '0')
        {
            written--;
        }
        if (buffer[written - 1] == '.')
        {
            written--;
        }
        sb.Append(buffer[..written]).Append("+00:00");
    }

    private static bool TryWriteText(string s, StringBuilder sb)
    {
        // Half a surrogate pair is replaced differently by the serializer's round trip; leave such text to it.
        if (s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            return false;
        }
        WriteString(s, sb);
        return true;
    }

    private static bool TryWriteValue(object? value, StringBuilder sb, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                return true;
            case string s:
                return TryWriteText(s, sb);
            case bool b:
                sb.Append(b ? "true" : "false");
                return true;
            case int i:
                sb.Append(i.ToString(CultureInfo.InvariantCulture));
                return true;
            case long l when l is <= MaxSafeInteger and >= -MaxSafeInteger:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                return true;
            case IReadOnlyDictionary<string, object?> map when depth < 64 && (map is Dictionary<string, object?> || map is System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>):
                if (map.Count == 0)
                {
                    sb.Append("{}");
                    return true;
                }
                var keys = new string[map.Count];
                var k = 0;
                foreach (var key in map.Keys)
                {
                    keys[k++] = key;
                }
                Array.Sort(keys, StringComparer.Ordinal);
                sb.Append('{');
                for (var n = 0; n < keys.Length; n++)
                {
                    if (n > 0)
                    {
                        sb.Append(',');
                    }
                    if (!TryWriteText(keys[n], sb))
                    {
                        return false;
                    }
                    sb.Append(':');
                    if (!TryWriteValue(map[keys[n]], sb, depth + 1))
                    {
                        return false;
                    }
                }
                sb.Append('}');
                return true;
            default:
                return false;
        }
    }

    private static void WriteString(string s, StringBuilder sb)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
