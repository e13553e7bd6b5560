using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Proviso.Accounts;
using Proviso.Cli;
using Proviso.Tests.Cli;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Ledger.Checkpoints;
using Proviso.Ledger.Merkle;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Ledger;

[Collection("Console")]
public class HostLedgerTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task VendorChanges_AreRecordedWithActorAndNoContactDetails(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var name = ProvisoFactory.UniqueName("Ledgered");
        var v = await factory.CreateVendorAsync(new VendorInput { Name = name, Contacts = [new ContactInput("Secret Person", "secret.person@example.com")] });
        var client = await factory.ClientAsAsync(Roles.Procurement);
        await client.PostAsync($"/api/vendors/{v.Id}/archive", null);

        var auditor = await factory.ClientAsAsync(Roles.Auditor);
        var page = await auditor.GetFromJsonAsync<LedgerPage>($"/api/ledger/entries?vendor={Uri.EscapeDataString(name)}", ProvisoFactory.Json);
        var actions = page!.Items.Select(i => i.Record.GetProperty("action").GetString()).ToList();
        Assert.Equal(["vendor.archived", "vendor.created"], actions);
        Assert.Contains("procurement-", page.Items[0].Record.GetProperty("actor").GetString());
        var raw = string.Join("\n", page.Items.Select(i => i.Record.GetRawText()));
        Assert.DoesNotContain("secret.person", raw);
        Assert.DoesNotContain("Secret Person", raw);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task EditingTheDatabaseBehindTheLedgersBack_FailsVerificationAtThatIndex(DatabaseProvider provider)
    {
        using var factory = new ProvisoFactory(provider);
        for (var i = 0; i < 5; i++)
        {
            await factory.CreateVendorAsync(new VendorInput { Name = ProvisoFactory.UniqueName("Tamper") });
        }
        var auditor = await factory.ClientAsAsync(Roles.Auditor);
        var before = await (await auditor.PostAsync("/api/ledger/verify", null)).Content.ReadFromJsonAsync<VerificationResult>(ProvisoFactory.Json);
        Assert.True(before!.Ok, before.Message);

        long target;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProvisoDbContext>();
            var row = await db.LedgerEntries.Where(e => e.Action == "vendor.created").OrderBy(e => e.Index).Skip(2).FirstAsync();
            target = row.Index;
            var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(row.Payload).Replace("\"procurement-", "\"someone-else-", StringComparison.Ordinal));
            await db.Database.ExecuteSqlRawAsync("UPDATE ledger_entries SET payload = {0} WHERE idx = {1}", forged, target);
        }

        var after = await (await auditor.PostAsync("/api/ledger/verify", null)).Content.ReadFromJsonAsync<VerificationResult>(ProvisoFactory.Json);
        Assert.False(after!.Ok);
        Assert.Equal(target, after.FirstBadIndex);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ExportedBundle_VerifiesOfflineWithThePublishedKey_AndProofsCheckOut(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var name = ProvisoFactory.UniqueName("Bundled");
        await factory.CreateVendorAsync(new VendorInput { Name = name });
        var auditor = await factory.ClientAsAsync(Roles.Auditor);

        var keys = await auditor.GetFromJsonAsync<string[]>("/api/ledger/keys");
        var bytes = await auditor.GetByteArrayAsync($"/api/ledger/export?vendor={Uri.EscapeDataString(name)}");
        Assert.Equal(1, LedgerBundle.Verify(new MemoryStream(bytes), new NoteVerifier(keys![0])));

        var cp = await auditor.GetFromJsonAsync<CheckpointView>("/api/ledger/checkpoint", ProvisoFactory.Json);
        var proof = await auditor.GetFromJsonAsync<InclusionProofView>("/api/ledger/proof/0", ProvisoFactory.Json);
        Assert.True(ProofVerifier.VerifyInclusion(0, proof!.TreeSize, Convert.FromHexString(proof.LeafHash),
            proof.Proof.Select(Convert.FromHexString).ToList(), Convert.FromHexString(proof.RootHash)));
        Assert.True(proof.TreeSize <= cp!.Size);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/api/ledger/proof/99999999")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task TwoInstancesOnOneDatabase_AppendConcurrently_AndTheLogStaysConsistent(DatabaseProvider provider)
    {
        using var factory = new ProvisoFactory(provider);
        var options = factory.Services.GetRequiredService<IOptions<ProvisoOptions>>();
        var dbOptions = new ProvisoDbOptions(options, new AuditInterceptor(TimeProvider.System));
        await using var second = new LedgerService(options, dbOptions, TimeProvider.System, NullLogger<LedgerService>.Instance);
        var first = factory.Services.GetRequiredService<LedgerService>();

        var writes = Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? first : second).RecordAsync("test.concurrent", $"writer{i % 2}", "test", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var indexes = await Task.WhenAll(writes);

        Assert.Equal(200, indexes.Distinct().Count());
        var result = await first.VerifyAsync();
        Assert.True(result.Ok, result.Message);
    }

    [Fact]
    public async Task Cli_VerifyAndBundle_ReportBadInputInOneLine_AndChangeNothing()
    {
        var dir = TestDatabase.NewTempDir();
        Assert.Equal(0, await ProvisoCli.RunAsync(["migrate", "--data-dir", dir]));
        using (var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:DataDir"] = dir }))
        {
            await factory.CreateVendorAsync(new VendorInput { Name = "Cli Ledger Vendor" });
        }
        var (ok, okOut, _) = await CliTests.RunAsync("ledger", "verify", "--data-dir", dir);
        Assert.Equal(0, ok);
        Assert.StartsWith("Verified", okOut);

        var bundle = Path.Combine(dir, "bundle.json");
        Assert.Equal(0, (await CliTests.RunAsync("ledger", "export", "--vendor", "Cli Ledger Vendor", "-o", bundle, "--data-dir", dir)).Exit);
        var (keyExit, keyOut, _) = await CliTests.RunAsync("ledger", "key", "export", "--data-dir", dir);
        Assert.Equal(0, keyExit);
        var key = keyOut.Trim().Split('\n')[0].Trim();
        Assert.Equal(0, (await CliTests.RunAsync("ledger", "verify", "--bundle", bundle, "--key", key)).Exit);

        var (proveExit, proveOut, _) = await CliTests.RunAsync("ledger", "prove", "0", "--data-dir", dir);
        Assert.Equal(0, proveExit);
        Assert.Equal(0, JsonDocument.Parse(proveOut).RootElement.GetProperty("index").GetInt64());

        var wrongKey = await CliTests.RunAsync("ledger", "verify", "--bundle", bundle, "--key", NoteKeys.Generate("x").Verifier);
        Assert.Equal(1, wrongKey.Exit);
        Assert.Single(wrongKey.Err.Trim().Split('\n'));

        var text = await File.ReadAllTextAsync(bundle);
        var truncated = Path.Combine(dir, "truncated.json");
        await File.WriteAllTextAsync(truncated, text[..(text.Length / 2)]);
        var cut = await CliTests.RunAsync("ledger", "verify", "--bundle", truncated, "--key", key);
        Assert.Equal(1, cut.Exit);
        Assert.Contains("not valid JSON", cut.Err);

        // A truncated database: a clear error, and the file is left exactly as it was.
        var dbFile = Path.Combine(dir, "proviso.db");
        var damaged = Path.Combine(TestDatabase.NewTempDir(), "proviso.db");
        var original = await File.ReadAllBytesAsync(dbFile);
        await File.WriteAllBytesAsync(damaged, original[..(original.Length / 3)]);
        var hashBefore = SHA256.HashData(await File.ReadAllBytesAsync(damaged));
        var broken = await CliTests.RunAsync("ledger", "verify", "--data-dir", Path.GetDirectoryName(damaged)!);
        Assert.Equal(1, broken.Exit);
        Assert.StartsWith("proviso: ", broken.Err);
        Assert.Equal(hashBefore, SHA256.HashData(await File.ReadAllBytesAsync(damaged)));
    }
}
