using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Ledger.Checkpoints;

namespace Proviso.Cli;

/// <summary><c>proviso ledger verify | export | prove | key</c>.</summary>
internal static class LedgerCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(Func<ParseResult, Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var ledger = new Command("ledger", "Verify, export and prove entries of the tamper-evident ledger.");
        ledger.Subcommands.Add(Verify(withServices));
        ledger.Subcommands.Add(Export(withServices));
        ledger.Subcommands.Add(Prove(withServices));
        ledger.Subcommands.Add(Key(withServices));
        return ledger;
    }

    private static Command Verify(Func<ParseResult, Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var bundle = new Option<FileInfo?>("--bundle") { Description = "Verify an exported bundle offline instead of the database." };
        var key = new Option<string?>("--key") { Description = "With --bundle: the log's public key (name+id+base64) or a file holding it." };
        var command = new Command("verify", "Recompute the whole log and check every entry and signed checkpoint; exit non-zero naming the first bad entry.") { bundle, key };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(bundle) is { } file)
            {
                return VerifyBundle(file, parse.GetValue(key));
            }
            return await withServices(parse, async services =>
            {
                var service = services.GetRequiredService<LedgerService>();
                var progress = Console.IsErrorRedirected ? null : new Progress<long>(n => Console.Error.Write($"\rverified {n:N0} entries"));
                var result = await service.VerifyAsync(progress, ct);
                if (progress is not null)
                {
                    Console.Error.Write("\r");
                }
                if (result.Ok)
                {
                    Console.WriteLine(result.Message);
                    return 0;
                }
                Console.Error.WriteLine($"proviso: ledger entry {result.FirstBadIndex}: {result.Message}");
                return 1;
            });
        });
        return command;
    }

    private static int VerifyBundle(FileInfo file, string? keyText)
    {
        if (string.IsNullOrWhiteSpace(keyText))
        {
            return Fail("--bundle needs --key with the log's public key.");
        }
        try
        {
            var keyValue = File.Exists(keyText) ? File.ReadAllText(keyText).Trim().Split('\n')[0].Trim() : keyText.Trim();
            var verifier = new NoteVerifier(keyValue);
            using var stream = file.OpenRead();
            var count = LedgerBundle.Verify(stream, verifier);
            Console.WriteLine($"Verified {count} entries of {file.Name} against the signed checkpoint.");
            return 0;
        }
        catch (Exception ex) when (ex is LedgerException or FormatException or IOException or UnauthorizedAccessException)
        {
            return Fail($"{file.Name}: {ex.Message}");
        }
    }

    private static Command Export(Func<ParseResult, Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var output = new Option<FileInfo>("--output", "-o") { Description = "Bundle file to write (JSON).", Required = true };
        var vendor = new Option<string?>("--vendor") { Description = "Only entries about this vendor." };
        var from = new Option<string?>("--from") { Description = "Only entries at or after this time (ISO 8601)." };
        var to = new Option<string?>("--to") { Description = "Only entries at or before this time (ISO 8601)." };
        var command = new Command("export", "Write records with inclusion proofs and the signed checkpoint, verifiable offline with `ledger verify --bundle`.") { output, vendor, from, to };
        command.SetAction((parse, ct) => withServices(parse, async services =>
        {
            if (!TryTime(parse.GetValue(from), "--from", out var fromTime) || !TryTime(parse.GetValue(to), "--to", out var toTime))
            {
                return 1;
            }
            var queries = services.GetRequiredService<LedgerQueries>();
            var bundle = await queries.BundleAsync(new LedgerFilter(null, null, parse.GetValue(vendor), fromTime, toTime), ct);
            var target = parse.GetValue(output)!;
            var temp = target.FullName + ".tmp";
            await using (var stream = File.Create(temp))
            {
                bundle.WriteTo(stream);
            }
            File.Move(temp, target.FullName, overwrite: true);
            Console.WriteLine($"Wrote {bundle.Entries.Count} entries proven against the checkpoint at size {bundle.TreeSize} to {target.FullName}");
            return 0;
        }));
        return command;
    }

    private static Command Prove(Func<ParseResult, Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var index = new Argument<long>("index") { Description = "Entry index." };
        var command = new Command("prove", "Print the inclusion proof of one entry against the latest checkpoint (JSON).") { index };
        command.SetAction((parse, ct) => withServices(parse, async services =>
        {
            var proof = await services.GetRequiredService<LedgerQueries>().ProveAsync(parse.GetValue(index), ct);
            if (proof is null)
            {
                return Fail($"entry {parse.GetValue(index)} is not covered by a checkpoint");
            }
            Console.WriteLine(JsonSerializer.Serialize(proof, Json));
            return 0;
        }));
        return command;
    }

    private static Command Key(Func<ParseResult, Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var key = new Command("key", "The ledger's signing keys.");
        var export = new Command("export", "Print the public keys that verify this log (current first), one per line.");
        export.SetAction((parse, ct) => withServices(parse, async services =>
        {
            foreach (var k in await services.GetRequiredService<LedgerService>().TrustedKeysAsync(ct))
            {
                Console.WriteLine(k.Text);
            }
            return 0;
        }));
        var rotate = new Command("rotate", "Retire the signing key and create a new one; old checkpoints stay verifiable.");
        rotate.SetAction((parse, ct) => withServices(parse, async services =>
        {
            var verifier = await services.GetRequiredService<LedgerService>().RotateKeyAsync(ct);
            Console.WriteLine(verifier);
            return 0;
        }));
        key.Subcommands.Add(export);
        key.Subcommands.Add(rotate);
        return key;
    }

    private static bool TryTime(string? text, string option, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        Fail($"{option} '{text}' is not a date or time (use ISO 8601, e.g. 2026-11-24T00:00:00Z)");
        return false;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"proviso: {message}");
        return 1;
    }
}
