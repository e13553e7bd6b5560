using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Proviso.Gateway;
using Proviso.Privacy;
using Proviso.Privacy.Operators;
using Proviso.Vendors;

namespace Proviso.Bench;

/// <summary>The gateway's in-process steps on the benchmark request, one at a time, per call.</summary>
internal static class GatewaySteps
{
    public static void Run(string requestFile, int iterations)
    {
        var raw = File.ReadAllBytes(requestFile);
        var detector = new PiiDetector();
        var vault = new InMemoryVault();
        var pseudonymizer = new PayloadPseudonymizer(detector, new Anonymizer(AnonymizerKeys.Random(), vault));
        var policy = new GatewayPolicy();
        var texts = ((JsonArray)JsonNode.Parse(raw)!["messages"]!).Select(m => m!["content"]!.GetValue<string>()).ToArray();
        var crypto = new KeyedCrypto(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        for (var round = 0; round < 3; round++)
        {
            var c0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++) { crypto.Mac("PERSON\0Margaret Thompson"); }
            var c1 = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++) { crypto.Seal("Margaret Thompson"); }
            var c2 = Stopwatch.GetTimestamp();
            var nonce = new byte[12];
            for (var i = 0; i < iterations; i++) { System.Security.Cryptography.RandomNumberGenerator.Fill(nonce); }
            var c3 = Stopwatch.GetTimestamp();
            Console.WriteLine($"mac {(c1 - c0) * 1e6 / Stopwatch.Frequency / iterations:F2} us, seal {(c2 - c1) * 1e6 / Stopwatch.Frequency / iterations:F2} us, nonce {(c3 - c2) * 1e6 / Stopwatch.Frequency / iterations:F2} us");
        }
        for (var round = 0; round < 3; round++)
        {
            long parse = 0, pseudo = 0, detect = 0, serialize = 0, drop = 0;
            long aParse = 0, aPseudo = 0, aDetect = 0, aSerialize = 0;
            for (var i = 0; i < iterations; i++)
            {
                var a0 = GC.GetAllocatedBytesForCurrentThread();
                var t0 = Stopwatch.GetTimestamp();
                var body = JsonNode.Parse(raw)!;
                var t1 = Stopwatch.GetTimestamp();
                var a1 = GC.GetAllocatedBytesForCurrentThread();
                var scope = "gw:" + Guid.NewGuid().ToString("N");
                // As the gateway does: a call's own pseudonyms live in a batch and never reach the vault
                // (GATEWAY_STEPS_VAULT=1 measures the vault path instead).
                if (Environment.GetEnvironmentVariable("GATEWAY_STEPS_VAULT") is null)
                {
                    pseudonymizer.With(new PseudonymBatch(vault, scope, isNew: true)).Pseudonymize(body, policy, scope);
                }
                else
                {
                    pseudonymizer.Pseudonymize(body, policy, scope);
                }
                var t2 = Stopwatch.GetTimestamp();
                var a2 = GC.GetAllocatedBytesForCurrentThread();
                _ = PayloadPseudonymizer.ToUtf8(body);
                var t3 = Stopwatch.GetTimestamp();
                var a3 = GC.GetAllocatedBytesForCurrentThread();
                vault.Drop(scope);
                var t4 = Stopwatch.GetTimestamp();
                foreach (var t in texts)
                {
                    detector.Detect(t);
                }
                var t5 = Stopwatch.GetTimestamp();
                var a5 = GC.GetAllocatedBytesForCurrentThread();
                aParse += a1 - a0; aPseudo += a2 - a1; aSerialize += a3 - a2; aDetect += a5 - a3;
                parse += t1 - t0; pseudo += t2 - t1; serialize += t3 - t2; drop += t4 - t3; detect += t5 - t4;
            }
            double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency / iterations;
            Console.WriteLine($"round {round}: parse {Us(parse):F1} us, pseudonymize {Us(pseudo):F1} us (detect alone {Us(detect):F1} us), serialize {Us(serialize):F1} us, drop {Us(drop):F1} us");
            Console.WriteLine($"  allocated per call: parse {aParse / iterations:N0} B, pseudonymize {aPseudo / iterations:N0} B, serialize {aSerialize / iterations:N0} B, detect alone (+drop) {aDetect / iterations:N0} B");
        }
    }
}
