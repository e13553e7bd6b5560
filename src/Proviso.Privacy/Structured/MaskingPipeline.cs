using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Proviso.Privacy.Operators;

namespace Proviso.Privacy.Structured;

/// <summary>Input that cannot be processed safely; nothing of it is written unmasked.</summary>
public sealed class InputFormatException(string message, long? line = null) : Exception(line is null ? message : $"line {line}: {message}")
{
    /// <summary>1-based line of the problem, when known.</summary>
    public long? Line { get; } = line;
}

/// <summary>What a masking run found and replaced.</summary>
public sealed class MaskReport
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Findings per entity type.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Records (lines, rows, documents) processed.</summary>
    public long Records { get; internal set; }

    /// <summary>CSV rows whose field count differs from the header; masked cell by cell and kept as they were.</summary>
    public long RaggedRows { get; internal set; }

    /// <summary>For CSV: the entity type each column holds mostly, from a sample of rows.</summary>
    public IReadOnlyDictionary<string, string> ColumnTypes { get; internal set; } = new Dictionary<string, string>();

    internal void Add(IEnumerable<Finding> findings)
    {
        foreach (var f in findings)
        {
            _counts[f.Type] = _counts.GetValueOrDefault(f.Type) + 1;
        }
    }
}

/// <summary>
/// Masks text, JSON, JSON Lines and CSV with one detector and one set of operators. Text, JSON Lines
/// and CSV are streamed record by record, so memory stays flat however large the input; a JSON
/// document is processed whole. Structure and non-string JSON values are preserved byte for byte.
/// </summary>
public sealed class MaskingPipeline(PiiDetector detector, Anonymizer anonymizer, OperatorConfig op, IReadOnlyDictionary<string, OperatorConfig>? perType = null, string scope = "default")
{
    /// <summary>Deepest JSON nesting accepted.</summary>
    public const int MaxJsonDepth = 256;

    /// <summary>Counts of what was found.</summary>
    public MaskReport Report { get; } = new();

    /// <summary>Called after each record with the bytes or characters consumed so far (for progress bars).</summary>
    public Action<long>? Progress { get; init; }

    /// <summary>
    /// Blocks of plain text masked at once (default: one per processor). Used only when every operator
    /// is stateless (replace, redact, mask, hash, encrypt): tokens and surrogates are numbered in order of
    /// appearance, which parallel blocks would shuffle, so those stay sequential.
    /// </summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    private bool Stateless => IsStateless(op.Kind) && (perType is null || perType.Values.All(o => IsStateless(o.Kind)));

    private static bool IsStateless(OperatorKind kind) => kind is OperatorKind.Replace or OperatorKind.Redact or OperatorKind.Mask or OperatorKind.Hash or OperatorKind.Encrypt;

    /// <summary>Masks one string; <paramref name="hint"/> is a field name that tells what it may hold.</summary>
    public string MaskString(string text, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var findings = detector.Detect(text, hint);
        return findings.Count == 0 ? text : MaskFound(text, findings);
    }

    /// <summary>
    /// Plain text, streamed in blocks cut at line ends (entities do not span lines); a single line longer
    /// than a block is held whole until it ends.
    /// </summary>
    public async Task MaskTextAsync(TextReader input, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        const int Block = 32 * 1024; // chars: each block's string stays below the large-object heap threshold
        var buffer = new char[Block];
        var pending = new StringBuilder();
        long consumed = 0;
        var parallel = Stateless && MaxParallelism > 1;
        // Blocks in flight, oldest first: read in order, masked concurrently, written in order.
        var inFlight = new Queue<(Task<(string Text, List<Finding> Findings)> Work, long Consumed, long Lines)>();

        async Task WriteOldestAsync()
        {
            var (work, upTo, lines) = inFlight.Dequeue();
            var (text, findings) = await work;
            Report.Add(findings);
            Report.Records += lines;
            await output.WriteAsync(text.AsMemory(), ct);
            Progress?.Invoke(upTo);
        }

        async Task EmitAsync(string chunk, long lines)
        {
            if (!parallel)
            {
                Report.Records += lines;
                await output.WriteAsync(MaskString(chunk).AsMemory(), ct);
                Progress?.Invoke(consumed);
                return;
            }
            inFlight.Enqueue((Task.Run(() => MaskDetached(chunk), ct), consumed, lines));
            while (inFlight.Count > MaxParallelism * 2)
            {
                await WriteOldestAsync();
            }
        }

        while (true)
        {
            int read;
            try
            {
                read = await input.ReadBlockAsync(buffer.AsMemory(), ct);
            }
            catch (DecoderFallbackException ex)
            {
                throw new InputFormatException($"the input is not valid UTF-8 (invalid byte 0x{(ex.BytesUnknown is { Length: > 0 } b ? b[0] : 0):X2})");
            }
            if (read == 0)
            {
                break;
            }
            consumed += read;
            var lastNewline = buffer.AsSpan(0, read).LastIndexOf('\n');
            if (lastNewline < 0)
            {
                pending.Append(buffer, 0, read);
                continue;
            }
            pending.Append(buffer, 0, lastNewline + 1);
            var chunk = pending.ToString();
            pending.Clear();
            pending.Append(buffer, lastNewline + 1, read - lastNewline - 1);
            await EmitAsync(chunk, chunk.AsSpan().Count('\n'));
        }
        if (pending.Length > 0)
        {
            await EmitAsync(pending.ToString(), 1);
        }
        while (inFlight.Count > 0)
        {
            await WriteOldestAsync();
        }
        Progress?.Invoke(consumed);
    }

    /// <summary>Masks a block without touching the report, so blocks can run on several threads.</summary>
    private (string Text, List<Finding> Findings) MaskDetached(string text)
    {
        var findings = detector.Detect(text);
        return findings.Count == 0 ? (text, findings) : (anonymizer.Anonymize(text, findings, op, perType, scope).Text, findings);
    }

    /// <summary>
    /// A whole JSON document: every string value masked, field names used as hints. Every string is scanned first, then each is
    /// also searched for the values found in the others (a name in a <c>"name"</c> field is masked in the <c>"notes"</c> too).
    /// </summary>
    public void MaskJson(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        var strings = ScanJsonStrings(utf8);
        var next = 0;
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false, MaxDepth = MaxJsonDepth, Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxJsonDepth, CommentHandling = JsonCommentHandling.Disallow });
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        writer.WritePropertyName(property!);
                        continue;
                    case JsonTokenType.String:
                        var (text, found) = strings[next++];
                        writer.WriteStringValue(found.Count > 0 ? MaskFound(text, found) : text);
                        break;
                    default:
                        // Numbers, booleans and null are copied exactly as written.
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                }
                if (reader.TokenType is not JsonTokenType.StartObject and not JsonTokenType.StartArray)
                {
                    property = reader.CurrentDepth == 0 ? null : property;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(DescribeJsonError(ex), ex.LineNumber + 1);
        }
        Report.Records++;
    }

    /// <summary>Every string value of a JSON document with what it holds, values found in other strings included.</summary>
    private List<(string Text, List<Finding> Found)> ScanJsonStrings(ReadOnlySpan<byte> utf8)
    {
        var strings = new List<(string Text, List<Finding> Found)>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxJsonDepth, CommentHandling = JsonCommentHandling.Disallow });
        string? property = null;
        KnownValues? known = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        continue;
                    case JsonTokenType.String:
                        var text = reader.GetString()!;
                        var found = detector.Detect(text, property);
                        if (found.Count > 0)
                        {
                            (known ??= new KnownValues()).Add(text, found);
                        }
                        strings.Add((text, found));
                        break;
                }
                if (reader.TokenType is not JsonTokenType.StartObject and not JsonTokenType.StartArray)
                {
                    property = reader.CurrentDepth == 0 ? null : property;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(DescribeJsonError(ex), ex.LineNumber + 1);
        }
        if (known is not null && strings.Count > 1 && detector.RepeatValues)
        {
            foreach (var (text, found) in strings)
            {
                known.FindIn(text, found);
            }
        }
        return strings;
    }

    /// <summary>JSON Lines: one JSON value per line; with <paramref name="field"/> only that top-level field is masked.</summary>
    public async Task MaskJsonLinesAsync(TextReader input, TextWriter output, string? field, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        long lineNumber = 0;
        long consumed = 0;
        var buffer = new ArrayBufferWriter<byte>();
        while (await ReadLineAsync(input, ct) is { } line)
        {
            lineNumber++;
            consumed += line.Length + 1;
            if (line.Length == 0)
            {
                await output.WriteLineAsync();
                continue;
            }
            buffer.ResetWrittenCount();
            try
            {
                if (field is null)
                {
                    MaskJson(Encoding.UTF8.GetBytes(line), buffer);
                }
                else
                {
                    MaskField(line, field, buffer);
                }
            }
            catch (InputFormatException ex)
            {
                throw new InputFormatException(ex.Message.StartsWith("line ", StringComparison.Ordinal) ? ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 2)..] : ex.Message, lineNumber);
            }
            await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan).AsMemory(), ct);
            if ((lineNumber & 255) == 0)
            {
                Progress?.Invoke(consumed);
            }
        }
        Progress?.Invoke(consumed);
    }

    /// <summary>Detects in each JSON line (or its <paramref name="field"/>) and writes <c>{"findings":[…]}</c> per line.</summary>
    public static async Task DetectJsonLinesAsync(PiiDetector detector, TextReader input, TextWriter output, string? field, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        long lineNumber = 0;
        while (await ReadLineAsync(input, ct) is { } line)
        {
            lineNumber++;
            string text;
            try
            {
                using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
                if (field is not null)
                {
                    text = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
                        ? v.GetString()!
                        : "";
                }
                else
                {
                    text = doc.RootElement.ValueKind == JsonValueKind.String ? doc.RootElement.GetString()! : line;
                }
            }
            catch (JsonException ex)
            {
                throw new InputFormatException(DescribeJsonError(ex), lineNumber);
            }
            await output.WriteLineAsync(FindingsJson(text, detector.Detect(text, field)).AsMemory(), ct);
        }
    }

    /// <summary>The CLI's detection output: <c>{"findings":[{"type","start","end","score","text"}]}</c>.</summary>
    public static string FindingsJson(string text, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("findings");
            foreach (var f in findings)
            {
                w.WriteStartObject();
                w.WriteString("type", f.Type);
                w.WriteNumber("start", f.Start);
                w.WriteNumber("end", f.End);
                w.WriteNumber("score", f.Score);
                w.WriteString("text", f.TextIn(text));
                w.WriteString("rule", f.Rule);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void MaskField(string line, string field, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = MaxJsonDepth });
        var bytes = Encoding.UTF8.GetBytes(line);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
        var target = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        target = reader.CurrentDepth == 1 && name == field;
                        writer.WritePropertyName(name);
                        continue;
                    case JsonTokenType.String:
                        var s = reader.GetString()!;
                        writer.WriteStringValue(target ? MaskString(s, field) : s);
                        break;
                    default:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                }
                target = false;
            }
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(DescribeJsonError(ex));
        }
        Report.Records++;
    }

    /// <summary>
    /// CSV: the first rows are sampled to learn what each column holds (the column's type then gets a
    /// lower threshold through the header hint); every cell is still scanned on its own.
    /// </summary>
    public async Task MaskCsvAsync(TextReader input, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MissingFieldFound = null,
            DetectDelimiter = true,
            IgnoreBlankLines = false,
        };
        using var parser = new CsvParser(input, config, leaveOpen: true);
        await using var writer = new CsvWriter(output, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = config.Delimiter }, leaveOpen: true);
        string[]? header = null;
        var sample = new List<string[]>();
        const int SampleSize = 100;
        try
        {
            while (await parser.ReadAsync())
            {
                ct.ThrowIfCancellationRequested();
                var record = parser.Record ?? [];
                if (header is null)
                {
                    header = record;
                    foreach (var h in header)
                    {
                        writer.WriteField(h);
                    }
                    await writer.NextRecordAsync();
                    continue;
                }
                if (sample.Count < SampleSize)
                {
                    sample.Add(record);
                    if (sample.Count < SampleSize)
                    {
                        continue;
                    }
                    await FlushSampleAsync(header, sample, writer);
                    continue;
                }
                await WriteRowAsync(header, record, writer);
                if ((Report.Records & 1023) == 0)
                {
                    Progress?.Invoke(parser.ByteCount > 0 ? parser.ByteCount : parser.CharCount);
                }
            }
        }
        catch (CsvHelperException ex) when (ex.InnerException is DecoderFallbackException)
        {
            throw new InputFormatException("the input is not valid UTF-8", parser.RawRow);
        }
        catch (DecoderFallbackException)
        {
            throw new InputFormatException("the input is not valid UTF-8", parser.RawRow);
        }
        catch (CsvHelperException ex)
        {
            throw new InputFormatException($"the CSV could not be parsed ({ex.GetType().Name})", parser.RawRow);
        }
        if (header is null)
        {
            return;
        }
        if (sample.Count is > 0 and < SampleSize)
        {
            await FlushSampleAsync(header, sample, writer);
        }
        Progress?.Invoke(parser.CharCount);
    }

    private Dictionary<int, string> _columnHints = [];

    private async Task FlushSampleAsync(string[] header, List<string[]> sample, CsvWriter writer)
    {
        // Column classification: the type found in most sampled cells of a column becomes its hint.
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        _columnHints = [];
        _hintCache.Clear();
        for (var c = 0; c < header.Length; c++)
        {
            var votes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var row in sample)
            {
                if (c < row.Length && row[c].Length > 0)
                {
                    foreach (var f in detector.Detect(row[c], header[c]))
                    {
                        votes[f.Type] = votes.GetValueOrDefault(f.Type) + 1;
                    }
                }
            }
            var best = votes.OrderByDescending(v => v.Value).FirstOrDefault();
            if (best.Key is not null && best.Value * 2 >= sample.Count(r => c < r.Length && r[c].Length > 0))
            {
                types[header[c]] = best.Key;
                _columnHints[c] = best.Key;
            }
        }
        Report.ColumnTypes = types;
        foreach (var row in sample)
        {
            await WriteRowAsync(header, row, writer);
        }
        sample.Clear();
    }

    private async Task WriteRowAsync(string[] header, string[] record, CsvWriter writer)
    {
        if (record.Length != header.Length)
        {
            Report.RaggedRows++;
        }
        var found = new List<Finding>?[record.Length];
        var withFindings = 0;
        for (var c = 0; c < record.Length; c++)
        {
            if (record[c].Length == 0)
            {
                continue;
            }
            var hint = c < header.Length ? header[c] : null;
            if (_columnHints.TryGetValue(c, out var columnType))
            {
                hint = _hintCache.TryGetValue(c, out var cached) ? cached : _hintCache[c] = $"{hint}_{HintWord(columnType)}";
            }
            found[c] = detector.Detect(record[c], hint);
            withFindings += found[c]!.Count > 0 ? 1 : 0;
        }
        if (withFindings > 0 && record.Length > 1 && detector.RepeatValues && AnyValueInFreeText(record, found))
        {
            // A row is one record: what one cell reveals ("name": "Sumaya Okafor") is masked in its free-text cells ("Sumaya
            // called"). Cells of a classified column (names, e-mails, phones) hold one value each and are not searched.
            _rowValues.Clear();
            for (var c = 0; c < record.Length; c++)
            {
                if (found[c] is { Count: > 0 } f)
                {
                    _rowValues.Add(record[c], f);
                }
            }
            if (_rowValues.Count > 0)
            {
                for (var c = 0; c < record.Length; c++)
                {
                    if (found[c] is { } f && !_columnHints.ContainsKey(c))
                    {
                        _rowValues.FindIn(record[c], f);
                    }
                }
            }
        }
        for (var c = 0; c < record.Length; c++)
        {
            writer.WriteField(found[c] is { Count: > 0 } f ? MaskFound(record[c], f) : record[c]);
        }
        await writer.NextRecordAsync();
        Report.Records++;
    }

    /// <summary>Whether a value found in one cell occurs in another, free-text cell at all (most rows: no, and nothing is allocated).</summary>
    private bool AnyValueInFreeText(string[] record, List<Finding>?[] found)
    {
        for (var d = 0; d < record.Length; d++)
        {
            if (found[d] is null || _columnHints.ContainsKey(d))
            {
                continue;
            }
            for (var c = 0; c < record.Length; c++)
            {
                if (c == d || found[c] is not { Count: > 0 } cell)
                {
                    continue;
                }
                foreach (var f in cell)
                {
                    if (KnownValues.AppearsIn(record[c], f, record[d]))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private readonly KnownValues _rowValues = new();
    private readonly Dictionary<int, string> _hintCache = [];

    private string MaskFound(string text, List<Finding> findings)
    {
        Report.Add(findings);
        return anonymizer.Anonymize(text, findings, op, perType, scope).Text;
    }

    private static string HintWord(string type) => type switch
    {
        Entities.Email => "email",
        Entities.Phone => "phone",
        Entities.Person => "name",
        Entities.StreetAddress => "address",
        Entities.UsSsn => "ssn",
        Entities.CreditCard => "card",
        Entities.DateOfBirth => "dob",
        _ => "value",
    };

    private static async Task<string?> ReadLineAsync(TextReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(ct);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InputFormatException($"the input is not valid UTF-8 (invalid byte 0x{(ex.BytesUnknown is { Length: > 0 } b ? b[0] : 0):X2})");
        }
    }

    private static string DescribeJsonError(JsonException ex)
    {
        var message = ex.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0];
        return message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
            ? $"JSON nests deeper than {MaxJsonDepth} levels"
            : $"invalid JSON: {message}";
    }

    /// <summary>A UTF-8 reader that fails on invalid bytes instead of silently replacing them.</summary>
    public static StreamReader StrictUtf8Reader(Stream stream) =>
        new(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
}
