using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Proviso.Privacy;
using Proviso.Privacy.Operators;
using Proviso.Privacy.Structured;

namespace Proviso.Cli;

/// <summary><c>proviso detect</c> and <c>proviso mask</c>: the privacy engine on files and pipes, without starting the host.</summary>
internal static class PrivacyCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Detect();
        yield return Mask();
    }

    private static Option<string?> EntitiesOption() => new("--entities") { Description = "Only these types, comma-separated (e.g. EMAIL_ADDRESS,PHONE_NUMBER)." };

    private static Option<bool> NoRepeatsOption() => new("--no-repeats")
    {
        Description = "Do not look for a value found once at its other occurrences (in the text, the record's other fields) where nothing gives it away.",
    };

    private static Command Detect()
    {
        var input = new Argument<string>("input") { Description = "File to scan, or - for standard input." };
        var json = new Option<bool>("--json") { Description = "Print {\"findings\":[…]} as JSON." };
        var jsonl = new Option<bool>("--jsonl") { Description = "INPUT is JSON Lines: print one {\"findings\":[…]} line per input line." };
        var field = new Option<string?>("--field") { Description = "With --jsonl: scan only this field of each object." };
        var entities = EntitiesOption();
        var noRepeats = NoRepeatsOption();
        var command = new Command("detect", "Find personal data and secrets in text or JSON Lines.") { input, json, jsonl, field, entities, noRepeats };
        command.SetAction(async (parse, ct) =>
        {
            var detector = Detector(parse.GetValue(entities), !parse.GetValue(noRepeats));
            if (detector is null)
            {
                return 1;
            }
            try
            {
                await using var stream = Open(parse.GetValue(input)!);
                using var reader = MaskingPipeline.StrictUtf8Reader(stream);
                var stdout = Console.Out;
                if (parse.GetValue(jsonl))
                {
                    await MaskingPipeline.DetectJsonLinesAsync(detector, reader, stdout, parse.GetValue(field), ct);
                    return 0;
                }
                var text = await ReadAllAsync(reader, ct);
                var findings = detector.Detect(text);
                if (parse.GetValue(json))
                {
                    await stdout.WriteLineAsync(MaskingPipeline.FindingsJson(text, findings));
                }
                else
                {
                    foreach (var f in findings)
                    {
                        await stdout.WriteLineAsync($"{f.Type,-22} {f.Start,8} {f.End,8} {f.Score,5:0.00}  {Printable(f.TextIn(text))}");
                    }
                    await Console.Error.WriteLineAsync($"{findings.Count} finding(s)");
                }
                return 0;
            }
            catch (Exception ex) when (ex is InputFormatException or IOException or UnauthorizedAccessException)
            {
                return Fail(ex.Message);
            }
        });
        return command;
    }

    private static Command Mask()
    {
        var input = new Argument<string>("input") { Description = "File to mask, or - for standard input." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write (default: standard output). Written whole or not at all." };
        var format = new Option<string?>("--format") { Description = "text, json, jsonl or csv (default: from the file extension, else text)." };
        var field = new Option<string?>("--field") { Description = "With jsonl: mask only this field of each object; the rest is kept." };
        var op = new Option<string>("--operator") { Description = "replace (default), redact, mask, hash, encrypt, surrogate or token.", DefaultValueFactory = _ => "replace" };
        var report = new Option<string?>("--report") { Description = "Also write counts per type as JSON to this file." };
        var keyFile = new Option<string?>("--key-file") { Description = "Keys for hash and encrypt (created if missing; default: a new random key per run)." };
        var entities = EntitiesOption();
        var threads = new Option<int>("--threads")
        {
            Description = "Text blocks masked at once (default: one per processor; replace, redact, mask, hash and encrypt only — tokens and surrogates keep their order).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var noRepeats = NoRepeatsOption();
        var command = new Command("mask", "Replace personal data and secrets in text, JSON, JSON Lines or CSV.") { input, output, format, field, op, entities, report, keyFile, threads, noRepeats };
        command.SetAction(async (parse, ct) =>
        {
            var detector = Detector(parse.GetValue(entities), !parse.GetValue(noRepeats));
            if (detector is null)
            {
                return 1;
            }
            OperatorKind kind;
            try
            {
                kind = OperatorConfig.Parse(parse.GetValue(op)!);
            }
            catch (ArgumentException ex)
            {
                return Fail(ex.Message);
            }
            if (parse.GetValue(threads) is < 1 or > 256)
            {
                return Fail($"--threads must be between 1 and 256, not {parse.GetValue(threads)}");
            }
            var inputPath = parse.GetValue(input)!;
            var fmt = (parse.GetValue(format) ?? FormatFromName(inputPath)).ToLowerInvariant();
            if (fmt is not ("text" or "json" or "jsonl" or "csv"))
            {
                return Fail($"unknown format '{fmt}'; use text, json, jsonl or csv");
            }
            var outputPath = parse.GetValue(output);
            var temp = outputPath is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, $".{Path.GetFileName(outputPath)}.{Environment.ProcessId}.tmp");
            var sw = Stopwatch.StartNew();
            try
            {
                var keys = LoadKeys(parse.GetValue(keyFile));
                var pipeline = new MaskingPipeline(detector, new Anonymizer(keys, new InMemoryVault()), new OperatorConfig { Kind = kind })
                {
                    Progress = ProgressReporter(inputPath),
                    MaxParallelism = parse.GetValue(threads),
                };
                await using (var inStream = Open(inputPath))
                await using (var outStream = temp is null ? Console.OpenStandardOutput() : File.Create(temp))
                {
                    using var reader = MaskingPipeline.StrictUtf8Reader(inStream);
                    await using var writer = new StreamWriter(outStream, new UTF8Encoding(false), 1 << 16);
                    switch (fmt)
                    {
                        case "json":
                            var bytes = await ReadAllBytesAsync(inStream, ct);
                            var buffer = new ArrayBufferWriter<byte>(bytes.Length + 1024);
                            pipeline.MaskJson(bytes, buffer);
                            await writer.FlushAsync(ct);
                            await outStream.WriteAsync(buffer.WrittenMemory, ct);
                            break;
                        case "jsonl":
                            await pipeline.MaskJsonLinesAsync(reader, writer, parse.GetValue(field), ct);
                            break;
                        case "csv":
                            await pipeline.MaskCsvAsync(reader, writer, ct);
                            break;
                        default:
                            await pipeline.MaskTextAsync(reader, writer, ct);
                            break;
                    }
                }
                if (temp is not null)
                {
                    File.Move(temp, outputPath!, overwrite: true);
                }
                ClearProgress();
                WriteSummary(pipeline.Report, sw.Elapsed);
                if (parse.GetValue(report) is { } reportPath)
                {
                    await File.WriteAllTextAsync(reportPath, System.Text.Json.JsonSerializer.Serialize(new
                    {
                        counts = pipeline.Report.Counts,
                        records = pipeline.Report.Records,
                        raggedRows = pipeline.Report.RaggedRows,
                        columnTypes = pipeline.Report.ColumnTypes,
                        seconds = sw.Elapsed.TotalSeconds,
                    }), ct);
                }
                return 0;
            }
            catch (Exception ex) when (ex is InputFormatException or IOException or UnauthorizedAccessException or FormatException or CryptographicException)
            {
                ClearProgress();
                if (temp is not null && File.Exists(temp))
                {
                    File.Delete(temp);
                }
                return Fail($"{(inputPath == "-" ? "stdin" : Path.GetFileName(inputPath))}: {ex.Message}");
            }
        });
        return command;
    }

    private static PiiDetector? Detector(string? entities, bool repeatValues)
    {
        if (Environment.ProcessorCount > 1)
        {
            // Overlaps loading with reading the input: +11% for `mask` on two cores; on one core it only competes (-12%).
            _ = PiiDetector.WarmUpAsync();
        }
        if (string.IsNullOrWhiteSpace(entities))
        {
            return new PiiDetector(new DetectorOptions { RepeatValues = repeatValues });
        }
        var wanted = entities.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => e.ToUpperInvariant()).ToHashSet();
        var unknown = wanted.Where(w => !Entities.All.Contains(w)).ToList();
        if (unknown.Count > 0)
        {
            Fail($"unknown entity type(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Entities.All)}");
            return null;
        }
        return new PiiDetector(new DetectorOptions { Entities = wanted, RepeatValues = repeatValues });
    }

    private static AnonymizerKeys LoadKeys(string? path)
    {
        if (path is null)
        {
            return AnonymizerKeys.Random();
        }
        if (!File.Exists(path))
        {
            var bytes = RandomNumberGenerator.GetBytes(64);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var f = new FileStream(path, options);
            f.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes)));
        }
        var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        return key.Length == 64 ? new AnonymizerKeys(key[..32], key[32..]) : throw new FormatException("the key file must hold 64 base64-encoded bytes");
    }

    private static Stream Open(string path) => path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);

    private static string FormatFromName(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "json",
        ".jsonl" or ".ndjson" => "jsonl",
        ".csv" => "csv",
        _ => "text",
    };

    private static async Task<string> ReadAllAsync(TextReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            throw new InputFormatException("the input is not valid UTF-8");
        }
    }

    private static async Task<byte[]> ReadAllBytesAsync(Stream stream, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms, ct);
        return ms.ToArray();
    }

    private static Action<long>? ProgressReporter(string inputPath)
    {
        if (Console.IsErrorRedirected || inputPath == "-" || !File.Exists(inputPath))
        {
            return null;
        }
        var total = Math.Max(1, new FileInfo(inputPath).Length);
        if (total < 4 * 1024 * 1024)
        {
            return null;
        }
        var last = -1;
        return done =>
        {
            var pct = (int)Math.Min(100, done * 100 / total);
            if (pct != last)
            {
                last = pct;
                var bar = new string('#', pct / 4).PadRight(25, '.');
                Console.Error.Write($"\r[{bar}] {pct,3}%");
            }
        };
    }

    private static void ClearProgress()
    {
        if (!Console.IsErrorRedirected)
        {
            Console.Error.Write("\r" + new string(' ', 40) + "\r");
        }
    }

    private static void WriteSummary(MaskReport report, TimeSpan elapsed)
    {
        var e = Console.Error;
        e.WriteLine($"{"type",-24} {"found",8}");
        foreach (var (type, count) in report.Counts.OrderByDescending(c => c.Value))
        {
            e.WriteLine($"{type,-24} {count,8}");
        }
        e.WriteLine($"{report.Counts.Values.Sum()} finding(s) in {report.Records} record(s), {elapsed.TotalSeconds:0.00} s"
            + (report.RaggedRows > 0 ? $"; {report.RaggedRows} CSV row(s) had a different number of fields than the header" : ""));
    }

    private static string Printable(string s) => s.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"proviso: {message}");
        return 1;
    }
}
