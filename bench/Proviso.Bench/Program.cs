using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.Options;
using Proviso.Bench;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Ledger.Checkpoints;
using Proviso.Ledger.Merkle;
using Proviso.Ledger.Records;

// dotnet run -c Release --project bench/Proviso.Bench -- <ledger-append|ledger-verify|proof-sizes|micro> [count]
var mode = args.FirstOrDefault() ?? "ledger-append";
var count = args.Length > 1 && int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

switch (mode)
{
    case "ledger-append":
        LedgerBench.PrintDurability();
        await LedgerBench.AppendAsync(count == 0 ? 200_000 : count);
        break;
    case "ledger-latency":
        // ledger-latency [N]: one caller appending one record at a time, as a gateway call at one connection waits for its share.
        await LedgerBench.LatencyAsync(count == 0 ? 5_000 : count);
        break;
    case "ledger-verify":
        await LedgerBench.VerifyAsync(count == 0 ? 1_000_000 : count);
        break;
    case "proof-sizes":
        LedgerBench.ProofSizes();
        break;
    case "pii-corpus":
        // pii-corpus MB FILE: English prose, one entity per ~300 characters.
        File.WriteAllText(args[2], PiiCorpus.Text(count * 1024 * 1024), new System.Text.UTF8Encoding(false));
        break;
    case "pii-csv":
        // pii-csv MB FILE: a CSV of people, for memory runs.
        PiiCorpus.WriteCsv(args[2], count * 1024L * 1024L);
        break;
    case "pii-labeled":
        // pii-labeled N SEED FILE
        LabeledSetGenerator.Write(count, int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
        break;
    case "pii-eval":
        PiiEval.Run(args.Skip(1).ToArray());
        break;
    case "pii-speed":
        PiiSpeed.Run(count == 0 ? 16 : count);
        break;
    case "pii-parts":
        // pii-parts: detection + replacement time of each sentence and entity template of the corpus, one at a time.
        PiiSpeed.RunParts();
        break;
    case "pii-file":
        // pii-file FILE: detection + replacement in process, line by line, as the npm peers are timed.
        PiiSpeed.RunFile(args[1]);
        break;
    case "stub-upstream":
        await StubUpstream.RunAsync(count == 0 ? 5401 : count);
        break;
    case "restore-speed":
        // restore-speed: restoring a long answer over a call's pseudonym batch.
        RestoreSpeed.Run();
        break;
    case "gateway-steps":
        // gateway-steps FILE [N]: the gateway's in-process work on one request, step by step.
        GatewaySteps.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000);
        break;
    case "one-string":
        {
            // one-string MB: detection on one large string (a gateway body is up to 4 MB), to watch for superlinear costs.
            var text = Proviso.Bench.PiiCorpus.Text(count * 1024 * 1024);
            var detector = new Proviso.Privacy.PiiDetector();
            detector.Detect(text[..20000]);
            var sw = Stopwatch.StartNew();
            var found = detector.Detect(text);
            Console.WriteLine($"{count} MB in one string: {found.Count:N0} findings in {sw.Elapsed.TotalMilliseconds:F0} ms");
            var anonymizer = new Proviso.Privacy.Operators.Anonymizer(Proviso.Privacy.Operators.AnonymizerKeys.Random(), new Proviso.Privacy.Operators.InMemoryVault());
            sw.Restart();
            var masked = anonymizer.Anonymize(text, found, new Proviso.Privacy.Operators.OperatorConfig { Kind = Proviso.Privacy.Operators.OperatorKind.Token }, scope: "s").Text;
            var tokenized = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var restored = anonymizer.Deanonymize(masked, "s");
            Console.WriteLine($"token operator {tokenized:F0} ms; restoring {sw.Elapsed.TotalMilliseconds:F0} ms ({(restored == text ? "identical" : "DIFFERENT")})");
            break;
        }
    case "startup":
        {
            // startup: what a fresh process pays before its first detection (the CLI pays it on every run).
            var sw = Stopwatch.StartNew();
            _ = Proviso.Privacy.Recognizers.Lexicon.GivenNames.Count + Proviso.Privacy.Recognizers.Lexicon.Surnames.Count;
            var lexicons = sw.Elapsed.TotalMilliseconds;
            _ = Proviso.Privacy.Recognizers.Lexicon.Cities.Count + Proviso.Privacy.Recognizers.Lexicon.StreetTypes.Count;
            var more = sw.Elapsed.TotalMilliseconds;
            var detector = new Proviso.Privacy.PiiDetector();
            var constructed = sw.Elapsed.TotalMilliseconds;
            _ = PhoneNumbers.PhoneNumberUtil.GetInstance().Parse("+44 20 7946 0958", null);
            var phones = sw.Elapsed.TotalMilliseconds;
            detector.Detect("Hello Margaret Thompson, call 415-555-2671 or write to margaret@example.com; card 4111 1111 1111 1111, 742 Evergreen Terrace, Springfield, OR 97477.");
            Console.WriteLine($"given+surnames {lexicons:F0} ms, +cities/streets {more:F0} ms, detector built {constructed:F0} ms, libphonenumber ready {phones:F0} ms, first detection done {sw.Elapsed.TotalMilliseconds:F0} ms");
            break;
        }
    case "scan-speed":
        ScanSpeed.Run(args.Length > 1 ? args[1] : "tests/data/contracts");
        break;
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(MerkleBenchmarks).Assembly).Run(args.Skip(1).ToArray());
        break;
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 1;
}
return 0;

namespace Proviso.Bench
{
    internal static class LedgerBench
    {
        private static LedgerRecord Record(int i) => new()
        {
            Action = "gateway.call",
            Actor = "app:support-assistant",
            Time = DateTimeOffset.UnixEpoch.AddSeconds(1_790_000_000 + i),
            SubjectType = "vendor-service",
            SubjectId = "lumen-chat-api",
            Vendor = "Lumen AI",
            Details = new Dictionary<string, object?>
            {
                ["endpoint"] = "https://eu.api.lumen-ai.example/v1/chat/completions",
                ["region"] = "eu-west-1",
                ["categories"] = new Dictionary<string, object?> { ["EMAIL_ADDRESS"] = 2, ["PERSON"] = 3 },
                ["bytes"] = 1532,
                ["status"] = 200,
                ["requestHash"] = "9f2c1a7e0b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6",
            },
        };

        private static (ProvisoDbOptions Options, string Dir) SqliteStore()
        {
            var dir = Path.Combine(Path.GetTempPath(), "proviso-bench", Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(dir);
            var options = Options.Create(new ProvisoOptions { DataDir = dir });
            var db = new ProvisoDbOptions(options, new AuditInterceptor(TimeProvider.System));
            using (var ctx = db.Create())
            {
                Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.Migrate(ctx.Database);
                Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRaw(ctx.Database, "PRAGMA journal_mode=WAL;");
            }
            return (db, dir);
        }

        public static void PrintDurability()
        {
            var (db, dir) = SqliteStore();
            using (var ctx = db.Create())
            {
                var conn = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(ctx.Database);
                conn.Open();
                using var cmd = conn.CreateCommand();
                cmd.CommandText = "PRAGMA journal_mode; ";
                var journal = cmd.ExecuteScalar();
                cmd.CommandText = "PRAGMA synchronous;";
                var sync = cmd.ExecuteScalar();
                Console.WriteLine($"sqlite journal_mode={journal}, synchronous={sync} (2 = FULL: every commit is fsynced)");
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }

        /// <summary>Durable appends/s with batching, against one-entry-per-transaction appends measured in the same run.</summary>
        public static async Task AppendAsync(int entries)
        {
            var payloads = Enumerable.Range(0, entries).Select(i => Record(i).ToCanonicalJson()).ToArray();
            var batched = new List<double>();
            var single = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                batched.Add(await RunAsync(payloads, maxBatch: 4096, concurrent: true));
                single.Add(await RunAsync(payloads[..Math.Min(2_000, entries)], maxBatch: 1, concurrent: false));
            }
            var b = Median(batched);
            var s = Median(single);
            Console.WriteLine($"ledger-append sqlite: batched {b:N0} entries/s (runs {string.Join(", ", batched.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"ledger-append sqlite: one transaction per entry {s:N0} entries/s (baseline, same run)");
            Console.WriteLine($"ratio batched/baseline: {b / s:F1}x");
        }

        private static async Task<double> RunAsync(byte[][] payloads, int maxBatch, bool concurrent)
        {
            var (db, dir) = SqliteStore();
            var (signerKey, _) = NoteKeys.Generate("bench");
            using var signer = new NoteSigner(signerKey);
            var store = new DbLedgerStore(db);
            var log = new TransparencyLog(store, signer, new TransparencyLogOptions { Origin = "bench/ledger", MaxBatch = maxBatch });
            var sw = Stopwatch.StartNew();
            if (concurrent)
            {
                // Many producers, as in a busy gateway: every task waits for its own durable commit. Each append starts on the
                // thread pool, as requests do: appended from this loop, the first caller to lead would commit on the loop's own
                // thread (SQLite completes synchronously) and every append would get a commit of its own.
                var tasks = new Task<long>[payloads.Length];
                for (var i = 0; i < payloads.Length; i++)
                {
                    var payload = payloads[i];
                    tasks[i] = Task.Run(() => log.AppendAsync(payload));
                }
                await Task.WhenAll(tasks);
            }
            else
            {
                foreach (var p in payloads)
                {
                    await log.AppendAsync(p);
                }
            }
            sw.Stop();
            await log.DisposeAsync();
            await store.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
            return payloads.Length / sw.Elapsed.TotalSeconds;
        }

        /// <summary>Latency of one append at a time (each its own commit), per durability, with the checkpoint signature timed alone.</summary>
        public static async Task LatencyAsync(int entries)
        {
            var payloads = Enumerable.Range(0, entries).Select(i => Record(i).ToCanonicalJson()).ToArray();
            var (signerKey, _) = NoteKeys.Generate("bench");
            using var signer = new NoteSigner(signerKey);
            var sign = new List<double>();
            for (var i = 0; i < 2_000; i++)
            {
                var start = Stopwatch.GetTimestamp();
                _ = new Checkpoint("bench/ledger", i + 1, new byte[32]).Sign(signer);
                sign.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
            Console.WriteLine($"checkpoint signature alone: median {Percentile(sign, 0.5):F1} us");
            foreach (var durability in new[] { LedgerDurability.Committed, LedgerDurability.Flushed })
            {
                var (db, dir) = SqliteStore();
                var store = new DbLedgerStore(db, durability);
                var log = new TransparencyLog(store, signer, new TransparencyLogOptions { Origin = "bench/ledger" });
                var times = new List<double>(entries);
                foreach (var p in payloads)
                {
                    var start = Stopwatch.GetTimestamp();
                    await log.AppendAsync(p);
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
                await log.DisposeAsync();
                await store.DisposeAsync();
                var steady = times.Skip(entries / 5).ToList();
                Console.WriteLine($"ledger-latency sqlite {durability}: median {Percentile(steady, 0.5):F1} us, p99 {Percentile(steady, 0.99):F1} us ({steady.Count:N0} appends after {entries / 5:N0} warm-up)");
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }

        private static double Percentile(List<double> values, double q)
        {
            var sorted = values.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
        }

        /// <summary>Full verification (every leaf, every checkpoint signature) of a log on SQLite.</summary>
        public static async Task VerifyAsync(int entries)
        {
            var (db, dir) = SqliteStore();
            var (signerKey, verifierKey) = NoteKeys.Generate("bench");
            using var signer = new NoteSigner(signerKey);
            var store = new DbLedgerStore(db);
            var log = new TransparencyLog(store, signer, new TransparencyLogOptions { Origin = "bench/ledger", MaxBatch = 4096 });
            var fill = Stopwatch.StartNew();
            const int Chunk = 50_000;
            for (var start = 0; start < entries; start += Chunk)
            {
                await Task.WhenAll(Enumerable.Range(start, Math.Min(Chunk, entries - start)).Select(i => log.AppendAsync(Record(i))));
            }
            await log.DisposeAsync();
            Console.WriteLine($"filled {entries:N0} entries in {fill.Elapsed.TotalSeconds:F1} s");
            var times = new List<double>();
            VerificationResult? result = null;
            for (var run = 0; run < 3; run++)
            {
                var sw = Stopwatch.StartNew();
                result = await LedgerVerifier.VerifyAsync(store, "bench/ledger", [new NoteVerifier(verifierKey)]);
                times.Add(sw.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"ledger-verify sqlite: {entries:N0} entries, {result!.Checkpoints} checkpoints, ok={result.Ok}: median {Median(times):F2} s (runs {string.Join(", ", times.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))})");
            await store.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }

        public static void ProofSizes()
        {
            foreach (var n in new[] { 2, 10, 1_000, 65_537, 1_000_000 })
            {
                var tree = new MerkleTree();
                for (var i = 0; i < n; i++)
                {
                    tree.Append(Rfc6962.LeafHash(BitConverter.GetBytes(i)));
                }
                var probe = new[] { 0L, n / 3, n / 2, n - 1 };
                var worst = probe.Max(i => tree.InclusionProof(i, n).Count);
                var bound = (int)Math.Ceiling(Math.Log2(n));
                Console.WriteLine($"proof-sizes n={n:N0}: longest probed inclusion proof {worst * 32} bytes; 32*ceil(log2 n) = {bound * 32} bytes; consistency {n / 2}->{n}: {tree.ConsistencyProof(n / 2, n).Count * 32} bytes");
            }
        }

        private static double Median(List<double> xs)
        {
            var s = xs.Order().ToList();
            return s[s.Count / 2];
        }
    }
}
