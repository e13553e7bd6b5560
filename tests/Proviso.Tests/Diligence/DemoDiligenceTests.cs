using System.Net;
using System.Net.Http.Json;
using Proviso.Accounts;
using Proviso.Diligence;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Diligence;

public sealed class DemoDiligenceTests
{
    [Fact]
    public async Task Demo_workspace_has_due_diligence_examples_and_every_vendor_view_answers()
    {
        using var f = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:Demo:Enabled"] = "true" });
        var client = await f.ClientAsAsync(Roles.Auditor);
        var page = await client.GetFromJsonAsync<VendorPage>("/api/vendors?pageSize=100", ProvisoFactory.Json);
        Assert.True(page!.Items.Count >= 5);
        foreach (var v in page.Items)
        {
            foreach (var path in new[] { "risk", "risks", "evidence", "decisions", "data-flows", "data-flows.svg", "diligence-report?format=html", "diligence-report?format=json" })
            {
                var response = await client.GetAsync($"/api/vendors/{v.Id}/{path}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{v.Name} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        var overview = await client.GetFromJsonAsync<DiligenceOverviewView>("/api/diligence/overview", ProvisoFactory.Json);
        Assert.Contains(overview!.OpenAssessments, a => a.VendorName == "Lumen AI");
        Assert.Contains(overview.Expiring, e => e.VendorName == "Northwind CRM" && e.Evidence.Kind == EvidenceKind.Soc2Type2);
        Assert.DoesNotContain(overview.Reassessments, r => r.VendorName == "Lumen AI"); // already under way
        var lumen = page.Items.Single(v => v.Name == "Lumen AI");
        Assert.Equal(2, (await client.GetFromJsonAsync<List<DataFlowView>>($"/api/vendors/{lumen.Id}/data-flows", ProvisoFactory.Json))!.Count);
    }
}
