using System.Text;
using System.Text.Json.Nodes;

namespace Proviso.Gateway;

/// <summary>
/// Wraps the response body: restores pseudonyms before the caller sees them. JSON bodies are held
/// (bounded) and restored whole; server-sent events are restored event by event as they arrive, with
/// a pseudonym split across events ("&lt;PER" … "SON_1&gt;") held back until it is complete.
/// </summary>
public sealed class RestoringStream(Stream inner, PayloadPseudonymizer restorer, string scope, bool streaming, long maxBuffered) : Stream
{
    /// <summary>Longest pseudonym: "&lt;MEDICAL_RECORD_NUMBER_99999&gt;".</summary>
    private const int MaxTokenLength = 40;

    private readonly MemoryStream _buffer = new();
    private readonly StringBuilder _pendingLine = new();
    private readonly Dictionary<string, string> _carry = new(StringComparer.Ordinal);
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();

    public long BytesWritten { get; private set; }

    /// <summary>For generic routes: the body may be JSON, text or anything; restore as text when it is not JSON.</summary>
    public bool PlainText { get; init; }

    /// <summary>The response whose content type decides, on generic routes, whether the body is text to restore.</summary>
    public HttpResponse? Response { get; init; }

    /// <summary>
    /// Told a Responses API answer's id (the body's "id", or a streamed event's "response.id") once, before the bytes
    /// carrying it are written on.
    /// </summary>
    public Action<string>? ResponseIdSeen { get; init; }

    private bool _idSeen;

    private void SeeResponseId(string? id)
    {
        if (!_idSeen && id is { Length: > 0 } && ResponseIdSeen is { } seen)
        {
            _idSeen = true;
            seen(id);
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => streaming ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!streaming)
        {
            if (_buffer.Length + buffer.Length > maxBuffered)
            {
                throw new IOException($"The vendor's response exceeds {maxBuffered / 1024 / 1024} MB.");
            }
            _buffer.Write(buffer.Span);
            return;
        }
        var chars = new char[_decoder.GetCharCount(buffer.Span, flush: false)];
        _decoder.GetChars(buffer.Span, chars, flush: false);
        // Only the new characters are searched for a line end, and an unfinished line is bounded: a vendor streaming one
        // endless line in small chunks must cost neither quadratic time nor unbounded memory.
        var newline = Array.LastIndexOf(chars, '\n');
        if (newline < 0)
        {
            _pendingLine.Append(chars);
            if (_pendingLine.Length > maxBuffered)
            {
                throw new IOException($"The vendor's streamed event exceeds {maxBuffered / 1024 / 1024} MB without ending.");
            }
            return;
        }
        _pendingLine.Append(chars, 0, newline + 1);
        var text = _pendingLine.ToString();
        _pendingLine.Clear().Append(chars, newline + 1, chars.Length - newline - 1);
        var lines = text.Split('\n'); // the last element is the empty remainder after the final '\n'
        var output = new StringBuilder();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            output.Append(RestoreLine(lines[i].TrimEnd('\r'))).Append('\n');
        }
        await WriteOut(output.ToString(), cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes what is still held: the whole JSON body, or the last partial line and held-back text.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        if (!streaming)
        {
            var type = Response?.ContentType ?? "";
            if (PlainText && !(type.Contains("json", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)))
            {
                // Binary answers on generic routes cannot hold pseudonyms we made; pass them through untouched.
                await WriteWhole(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
                return;
            }
            var body = _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);
            var restored = body.Length == 0 ? null : restorer.RestoreJsonUtf8(body, scope, strict: !PlainText);
            if (ResponseIdSeen is not null && (Response is null || Response.StatusCode is >= 200 and < 300))
            {
                SeeResponseId(TopLevelId(body));
            }
            await WriteWhole(restored ?? _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
            return;
        }
        if (_pendingLine.Length > 0)
        {
            await WriteOut(RestoreLine(_pendingLine.ToString()), ct);
            _pendingLine.Clear();
        }
        await inner.FlushAsync(ct);
    }

    /// <summary>
    /// A held body goes out whole, with its length: the server then sends headers and body together, and no closing chunk
    /// after them (one write to the caller instead of two).
    /// </summary>
    private async Task WriteWhole(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        if (Response is { HasStarted: false } response && bytes.Length > 0)
        {
            response.ContentLength = bytes.Length;
        }
        BytesWritten += bytes.Length;
        await inner.WriteAsync(bytes, ct);
    }

    private async Task WriteOut(string text, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        BytesWritten += bytes.Length;
        await inner.WriteAsync(bytes, ct);
    }

    /// <summary>Restores one SSE line; "data: {…}" events get their text deltas stitched across events.</summary>
    private string RestoreLine(string line)
    {
        if (!line.StartsWith("data:", StringComparison.Ordinal))
        {
            return line;
        }
        var payload = line[5..].TrimStart();
        if (payload == "[DONE]")
        {
            return line;
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(payload);
        }
        catch (System.Text.Json.JsonException)
        {
            return "data: " + restorer.Restore(payload, scope);
        }
        if (node is not JsonObject obj)
        {
            return line;
        }
        if (ResponseIdSeen is not null && obj["response"] is JsonObject answer && answer["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var answerId))
        {
            SeeResponseId(answerId);
        }
        // Chat completions: choices[i].delta.content; Responses API: "delta" of text delta events.
        if (obj["choices"] is JsonArray choices)
        {
            foreach (var choice in choices.OfType<JsonObject>())
            {
                var key = "c" + (choice["index"]?.ToString() ?? "0");
                var finished = choice["finish_reason"] is JsonValue fr && fr.GetValueKind() == System.Text.Json.JsonValueKind.String;
                if (choice["delta"] is JsonObject delta && delta["content"] is JsonValue content && content.TryGetValue<string>(out var piece))
                {
                    delta["content"] = Stitch(key, piece, finished);
                }
                else if (finished && _carry.TryGetValue(key, out var held) && held.Length > 0)
                {
                    if (choice["delta"] is JsonObject d)
                    {
                        d["content"] = Stitch(key, "", true);
                    }
                }
            }
        }
        else if (obj["delta"] is JsonValue delta && delta.TryGetValue<string>(out var piece))
        {
            obj["delta"] = Stitch("r" + (obj["output_index"]?.ToString() ?? "0"), piece, false);
        }
        else if (obj["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type.EndsWith(".done", StringComparison.Ordinal))
        {
            foreach (var k in _carry.Keys.Where(k => k.StartsWith('r')).ToList())
            {
                _carry[k] = "";
            }
        }
        // Everything else in the event (tool-call arguments, full texts) is restored as a whole.
        foreach (var (name, child) in obj.ToList())
        {
            if (name is not ("choices" or "delta") && child is not null)
            {
                if (child is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    obj[name] = restorer.Restore(s, scope);
                }
                else
                {
                    restorer.RestoreNode(child, scope);
                }
            }
        }
        if (obj["choices"] is JsonArray cs)
        {
            foreach (var choice in cs.OfType<JsonObject>())
            {
                if (choice["delta"] is JsonObject d && d["tool_calls"] is { } tools)
                {
                    restorer.RestoreNode(tools, scope);
                }
            }
        }
        return "data: " + obj.ToJsonString(PayloadPseudonymizer.JsonOptions);
    }

    /// <summary>The string "id" of a JSON object body, if it has one.</summary>
    private static string? TopLevelId(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId && reader.TokenType == System.Text.Json.JsonTokenType.String)
                {
                    return reader.GetString();
                }
                reader.Skip();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON after all: no id.
        }
        return null;
    }

    /// <summary>Appends a delta to what was held back, restores what is safe to send, holds back a trailing partial pseudonym.</summary>
    private string Stitch(string key, string piece, bool final)
    {
        var text = _carry.GetValueOrDefault(key, "") + piece;
        var cut = text.Length;
        if (!final)
        {
            var lt = text.LastIndexOf('<');
            if (lt >= 0 && text.IndexOf('>', lt) < 0 && text.Length - lt < MaxTokenLength && LooksLikeTokenStart(text.AsSpan(lt + 1)))
            {
                cut = lt;
            }
        }
        _carry[key] = text[cut..];
        return restorer.Restore(text[..cut], scope);
    }

    private static bool LooksLikeTokenStart(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
