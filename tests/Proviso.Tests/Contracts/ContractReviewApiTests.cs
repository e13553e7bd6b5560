using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Proviso.Accounts;
using Proviso.Clauses.Analysis;
using Proviso.Contracts;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Contracts;

public class ContractReviewApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    internal const string Contract = """
        # Data Processing Terms

        1. Training. Vendor may use Customer Content in aggregated form to train and improve its models.
        2. Security Incidents. Vendor will notify Customer of any Security Incident within 24 hours of becoming aware of it.
        3. Deletion. Upon termination Vendor will delete Customer Data within 90 days.
        4. General. The parties agree that this Agreement is governed by the laws of Ireland.
        """;

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid vendorId, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/api/vendors/{vendorId}/contracts", form);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Upload_Analyzes_ThenOverridesAreKeptReportedAndLedgered(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var name = ProvisoFactory.UniqueName("Contracted");
        var vendor = await factory.CreateVendorAsync(new VendorInput { Name = name });
        var client = await factory.ClientAsAsync(Roles.Procurement);

        var response = await UploadAsync(client, vendor.Id, Encoding.UTF8.GetBytes(Contract), "terms.md");

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var review = (await response.Content.ReadFromJsonAsync<ContractReviewDetails>(ProvisoFactory.Json))!;
        Assert.Equal(16, review.Clauses.Count);
        var training = review.Clauses.Single(c => c.Kind == "non-training");
        Assert.Equal(ClauseStatus.Contrary, training.Status);
        Assert.Contains("train", review.Text[training.Start!.Value..training.End!.Value], StringComparison.Ordinal);
        var breach = review.Clauses.Single(c => c.Kind == "breach-notification");
        Assert.Equal(ClauseStatus.Present, breach.Status);

        // An override needs a reason; a bad status or action is refused and changes nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/contracts/{review.Id}/clauses/deletion-on-termination", new DecisionInput("override", "present", " "))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/contracts/{review.Id}/clauses/deletion-on-termination", new DecisionInput("override", "great", "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/contracts/{review.Id}/clauses/no-such-kind", new DecisionInput("accept", null, null))).StatusCode);

        var decided = await client.PostAsJsonAsync($"/api/contracts/{review.Id}/clauses/deletion-on-termination",
            new DecisionInput("override", "present", "Side letter of 2026-10-01 shortens deletion to 30 days."));
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        await client.PostAsJsonAsync($"/api/contracts/{review.Id}/clauses/breach-notification", new DecisionInput("accept", null, null));

        var again = (await client.GetFromJsonAsync<ContractReviewDetails>($"/api/contracts/{review.Id}", ProvisoFactory.Json))!;
        var deletion = again.Clauses.Single(c => c.Kind == "deletion-on-termination");
        Assert.Equal(ClauseStatus.Present, deletion.Status);
        Assert.Equal(ClauseStatus.Weak, deletion.EngineStatus);
        Assert.Equal("Side letter of 2026-10-01 shortens deletion to 30 days.", deletion.Decision!.Note);
        Assert.Equal("accept", again.Clauses.Single(c => c.Kind == "breach-notification").Decision!.Action);
        Assert.True(again.Score > review.Score);

        var md = await client.GetStringAsync($"/api/contracts/{review.Id}/report");
        Assert.Contains("| deletion-on-termination | present |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("(deletion-on-termination)", md, StringComparison.Ordinal);
        var html = await client.GetAsync($"/api/contracts/{review.Id}/report?format=html");
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/contracts/{review.Id}/report?format=pdf")).StatusCode);

        var list = await client.GetFromJsonAsync<List<ContractReviewSummary>>($"/api/vendors/{vendor.Id}/contracts", ProvisoFactory.Json);
        Assert.Equal("terms.md", Assert.Single(list!).FileName);

        var auditor = await factory.ClientAsAsync(Roles.Auditor);
        var page = await auditor.GetFromJsonAsync<LedgerPage>($"/api/ledger/entries?vendor={Uri.EscapeDataString(name)}", ProvisoFactory.Json);
        var records = page!.Items.Select(i => i.Record).ToList();
        Assert.Equal(["contract.finding.accepted", "contract.finding.overridden", "contract.reviewed", "vendor.created"],
            records.Select(r => r.GetProperty("action").GetString()));
        var overridden = records[1].GetProperty("details");
        Assert.Equal("weak", overridden.GetProperty("engine_status").GetString());
        Assert.Equal("present", overridden.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReadingAReviewAgain_ReusesItsAnalysis()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var vendor = await factory.CreateVendorAsync(new VendorInput { Name = ProvisoFactory.UniqueName("Cached") });
        var client = await factory.ClientAsAsync(Roles.Procurement);
        // Unique bytes, so no other test's review shares the analysis.
        var response = await UploadAsync(client, vendor.Id, Encoding.UTF8.GetBytes(Contract + "\n\nReference " + Guid.NewGuid()), "terms.md");
        var review = (await response.Content.ReadFromJsonAsync<ContractReviewDetails>(ProvisoFactory.Json))!;

        using var scope = factory.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<Proviso.Contracts.ContractReviewService>();
        var first = (await service.GetAsync(review.Id))!;
        var second = (await service.GetAsync(review.Id))!;
        // The document was read and analyzed once: the same text instance comes back, with the same findings.
        Assert.Same(first.Text, second.Text);
        Assert.Equal(first.Clauses.Select(c => (c.Kind, c.Status)), second.Clauses.Select(c => (c.Kind, c.Status)));
        Assert.Equal(review.Score, second.Score);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task UnreadableOrMisdirectedUploads_AreRefused_AndNothingIsStored(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var vendor = await factory.CreateVendorAsync(new VendorInput { Name = ProvisoFactory.UniqueName("Refused") });
        var client = await factory.ClientAsAsync(Roles.Procurement);

        var broken = await UploadAsync(client, vendor.Id, Encoding.ASCII.GetBytes("%PDF-1.7 not really"), "broken.pdf");
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("broken.pdf: the PDF is damaged or not a PDF", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(client, vendor.Id, Encoding.UTF8.GetBytes("a,b\n1,2"), "sheet.xls")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(client, Guid.NewGuid(), Encoding.UTF8.GetBytes(Contract), "terms.md")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync($"/api/vendors/{vendor.Id}/contracts", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<List<ContractReviewSummary>>($"/api/vendors/{vendor.Id}/contracts", ProvisoFactory.Json))!);

        var viewer = await factory.ClientAsAsync(Roles.Auditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(viewer, vendor.Id, Encoding.UTF8.GetBytes(Contract), "terms.md")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/contracts/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task OrganizationPlaybook_FromConfiguration_ChangesTheGrades()
    {
        var playbook = Path.Combine(TestDatabase.NewTempDir(), "playbook.yaml");
        await File.WriteAllTextAsync(playbook, "breach-notification:\n  max_hours: 12\n");
        using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:ContractPlaybook"] = playbook });
        var vendor = await factory.CreateVendorAsync(new VendorInput { Name = ProvisoFactory.UniqueName("Strict") });
        var client = await factory.ClientAsAsync(Roles.Procurement);

        var review = (await (await UploadAsync(client, vendor.Id, Encoding.UTF8.GetBytes(Contract), "terms.md")).Content.ReadFromJsonAsync<ContractReviewDetails>(ProvisoFactory.Json))!;

        Assert.Equal(ClauseStatus.Weak, review.Clauses.Single(c => c.Kind == "breach-notification").Status);
    }

    [Fact]
    public void BrokenOrganizationPlaybook_StopsTheStart_WithItsReason()
    {
        var playbook = Path.Combine(TestDatabase.NewTempDir(), "playbook.yaml");
        File.WriteAllText(playbook, "breach-notificaton:\n  max_hours: 12\n");
        using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:ContractPlaybook"] = playbook });
        var ex = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.Contains("Proviso:ContractPlaybook", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("Unknown clause kind 'breach-notificaton'", ex.ToString(), StringComparison.Ordinal);
    }
}
