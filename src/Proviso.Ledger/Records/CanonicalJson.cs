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
