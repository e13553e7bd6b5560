using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Proviso.Accounts;
using Proviso.Data;
using Proviso.Diligence;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Diligence;

/// <summary>Bad input to the due-diligence API: each a clear error, nothing stored or lost.</summary>
public sealed class DiligenceInputTests
{
    private static ProvisoFactory F => ProvisoFactory.For(DatabaseProvider.Sqlite);

    [Fact]
    public async Task Evidence_that_lies_about_its_type_is_refused_and_not_stored()
    {
        var vendor = await F.CreateAiVendorAsync();
        var client = await F.ClientAsAsync(Roles.Security);
        var exe = new byte[] { (byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00 };
        var response = await client.PostAsync($"/api/vendors/{vendor.Id}/evidence", DiligenceHelpers.File("soc2-report.pdf", exe, ("kind", "soc2-type2")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("claims to be a PDF but its content is a Windows executable", await response.Content.ReadAsStringAsync());
        Assert.Empty(await client.GetFromJsonAsync<List<EvidenceSummary>>($"/api/vendors/{vendor.Id}/evidence", ProvisoFactory.Json) ?? []);

        var badKind = await client.PostAsync($"/api/vendors/{vendor.Id}/evidence", DiligenceHelpers.File("x.pdf", DiligenceHelpers.Pdf, ("kind", "soc3")));
        Assert.Contains("Unknown evidence kind 'soc3'", await badKind.Content.ReadAsStringAsync());
        var badDate = await client.PostAsync($"/api/vendors/{vendor.Id}/evidence", DiligenceHelpers.File("x.pdf", DiligenceHelpers.Pdf, ("expiresOn", "next year")));
        Assert.Contains("is not a date", await badDate.Content.ReadAsStringAsync());
        var notMultipart = await client.PostAsync($"/api/vendors/{vendor.Id}/evidence", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notMultipart.StatusCode);
    }

    [Fact]
    public async Task Oversized_evidence_is_refused_with_the_limit_named()
    {
        using var f = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:Diligence:MaxEvidenceBytes"] = "1048576" });
        var vendor = await f.CreateAiVendorAsync();
        var client = await f.ClientAsAsync(Roles.Security);
        var big = new byte[2 * 1024 * 1024];
        "%PDF-1.4\n"u8.CopyTo(big);
        var response = await client.PostAsync($"/api/vendors/{vendor.Id}/evidence", DiligenceHelpers.File("big.pdf", big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit of 1 MB", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Evidence_is_encrypted_at_rest_served_back_intact_and_refused_when_altered()
    {
        var vendor = await F.CreateAiVendorAsync();
        var client = await F.ClientAsAsync(Roles.Security);
        var content = Encoding.UTF8.GetBytes("# Access control policy\nAll production access needs two approvals. marker-7f3a\n");
        var stored = (await (await client.PostAsync($"/api/vendors/{vendor.Id}/evidence", DiligenceHelpers.File("policy.md", content, ("kind", "policy"))))
            .Content.ReadFromJsonAsync<EvidenceSummary>(ProvisoFactory.Json))!;
        Assert.Equal(content, await client.GetByteArrayAsync($"/api/evidence/{stored.Id}/file"));
        using (var scope = F.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProvisoDbContext>();
            var row = await db.Evidence.SingleAsync(e => e.Id == stored.Id);
            Assert.True(row.Sealed.AsSpan().IndexOf("marker-7f3a"u8) < 0, "file stored in clear text");
            var flipped = row.Sealed.ToArray();
            flipped[^1] ^= 0x01; // a bit flipped behind Proviso's back
            row.Sealed = flipped;
            await db.SaveChangesAsync();
        }
        var altered = await client.GetAsync($"/api/evidence/{stored.Id}/file");
        Assert.Equal(HttpStatusCode.Conflict, altered.StatusCode);
        Assert.Contains("integrity check", await altered.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Templates_import_from_vsaq_and_yaml_export_round_trips_and_broken_ones_are_refused()
    {
        var client = await F.ClientAsAsync(Roles.Security);
        var vsaq = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "questionnaires", "vsaq-physical_and_datacenter.json"));
        var key = "vsaq-dc-" + Guid.NewGuid().ToString("N")[..6];
        var imported = await client.PostAsync($"/api/questionnaires?format=vsaq&key={key}", new StringContent(vsaq, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var list = await client.GetFromJsonAsync<List<TemplateSummary>>("/api/questionnaires", ProvisoFactory.Json);
        Assert.Contains(list!, t => t.Key == "ai-vendor" && t.BuiltIn);
        Assert.Contains(list!, t => t.Key == key && t.Source == "vsaq" && t.Questions > 10);

        var yaml = await client.GetStringAsync($"/api/questionnaires/{key}?format=yaml");
        Assert.Contains("Apache", yaml);
        var copyKey = key + "-copy";
        var copy = yaml.Replace($"key: {key}", $"key: {copyKey}", StringComparison.Ordinal);
        var saved = await client.PostAsync("/api/questionnaires", new StringContent(copy, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var json = await client.GetStringAsync($"/api/questionnaires/{copyKey}?format=json");
        Assert.Equal(key == copyKey ? "" : copyKey, JsonDocument.Parse(json).RootElement.GetProperty("key").GetString());

        var broken = await client.PostAsync("/api/questionnaires", new StringContent("key: x\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions: [{ id: q, text: Q, when: ghost }]", Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("'ghost'", await broken.Content.ReadAsStringAsync());
        var builtIn = await client.PostAsync("/api/questionnaires", new StringContent(TemplateYaml("ai-vendor"), Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Conflict, builtIn.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync("/api/questionnaires/ai-vendor")).StatusCode);
        var notUtf8 = await client.PostAsync("/api/questionnaires", new ByteArrayContent([0xFF, 0xFE, 0x00, 0x41]));
        Assert.Contains("not UTF-8", await notUtf8.Content.ReadAsStringAsync());

        // An assessment keeps the template as it was sent: deleting the template later loses nothing.
        var vendor = await F.CreateAiVendorAsync();
        var sent = await client.SendAsync(vendor.Id, copyKey);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/questionnaires/{copyKey}")).StatusCode);
        var view = await client.GetFromJsonAsync<AssessmentView>($"/api/assessments/{sent.Assessment.Id}", ProvisoFactory.Json);
        Assert.True(view!.Sections.Count > 0);
        var unknown = await client.PostAsJsonAsync($"/api/vendors/{vendor.Id}/assessments", new SendInput(copyKey, "A", "a@b.example", null), ProvisoFactory.Json);
        Assert.Contains($"no questionnaire '{copyKey}'", await unknown.Content.ReadAsStringAsync());
    }

    private static string TemplateYaml(string key) => $"key: {key}\ntitle: Mine\nsections:\n  - id: s\n    title: S\n    questions: [{{ id: q, text: Q }}]";

    [Fact]
    public async Task Sending_needs_a_real_contact_and_a_future_due_date()
    {
        var vendor = await F.CreateAiVendorAsync();
        var client = await F.ClientAsAsync(Roles.Procurement);
        var response = await client.PostAsJsonAsync($"/api/vendors/{vendor.Id}/assessments",
            new SendInput(null, "", "not-an-address", new DateOnly(2020, 1, 1)), ProvisoFactory.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Contact name is required", body);
        Assert.Contains("is not an e-mail address", body);
        Assert.Contains("in the past", body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/vendors/{Guid.NewGuid()}/assessments",
            new SendInput(null, "A", "a@b.example", null), ProvisoFactory.Json)).StatusCode);
        var review = await client.PostAsJsonAsync($"/api/assessments/{(await client.SendAsync(vendor.Id)).Assessment.Id}/review", new ReviewInput("accept", null, null), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Conflict, review.StatusCode); // nothing submitted yet
    }

    [Fact]
    public async Task Sign_offs_need_the_functions_role_one_person_per_function_and_an_objection_needs_a_reason()
    {
        var vendor = await F.CreateAiVendorAsync();
        var legal = await F.ClientAsAsync(Roles.Legal);
        var decision = (await (await legal.PostAsJsonAsync($"/api/vendors/{vendor.Id}/decisions", new VendorDecisionInput("approve", null, null), ProvisoFactory.Json))
            .Content.ReadFromJsonAsync<DecisionView>(ProvisoFactory.Json))!;
        var wrongRole = await legal.PostAsJsonAsync($"/api/decisions/{decision.Id}/sign-offs", new SignOffInput("Security", true, null), ProvisoFactory.Json);
        Assert.Contains("needs the Security role", await wrongRole.Content.ReadAsStringAsync());
        var unknown = await legal.PostAsJsonAsync($"/api/decisions/{decision.Id}/sign-offs", new SignOffInput("Finance", true, null), ProvisoFactory.Json);
        Assert.Contains("not one of this decision's functions", await unknown.Content.ReadAsStringAsync());

        var both = await F.ClientAsAsync(Roles.Privacy, Roles.Security);
        Assert.True((await both.PostAsJsonAsync($"/api/decisions/{decision.Id}/sign-offs", new SignOffInput("Privacy", true, null), ProvisoFactory.Json)).IsSuccessStatusCode);
        var twice = await both.PostAsJsonAsync($"/api/decisions/{decision.Id}/sign-offs", new SignOffInput("Security", true, null), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("each function needs its own person", await twice.Content.ReadAsStringAsync());

        var noReason = await legal.PostAsJsonAsync($"/api/decisions/{decision.Id}/sign-offs", new SignOffInput("Legal", false, null), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var objected = (await (await legal.PostAsJsonAsync($"/api/decisions/{decision.Id}/sign-offs", new SignOffInput("Legal", false, "No DPA yet."), ProvisoFactory.Json))
            .Content.ReadFromJsonAsync<DecisionView>(ProvisoFactory.Json))!;
        Assert.Equal(DecisionStatus.Objected, objected.Status);
        var vendorAfter = await legal.GetFromJsonAsync<VendorDetails>($"/api/vendors/{vendor.Id}", ProvisoFactory.Json);
        Assert.Equal(VendorStatus.UnderReview, vendorAfter!.Status);
        var rejectWithoutReason = await legal.PostAsJsonAsync($"/api/vendors/{vendor.Id}/decisions", new VendorDecisionInput("reject", null, null), ProvisoFactory.Json);
        Assert.Contains("Rationale is required", await rejectWithoutReason.Content.ReadAsStringAsync());
        var conditionsMissing = await legal.PostAsJsonAsync($"/api/vendors/{vendor.Id}/decisions", new VendorDecisionInput("approve-with-conditions", null, null), ProvisoFactory.Json);
        Assert.Contains("Conditions is required", await conditionsMissing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Data_flows_must_match_the_services_declared_categories_and_draw_as_svg()
    {
        var vendor = await F.CreateAiVendorAsync();
        var client = await F.ClientAsAsync(Roles.Privacy);
        var service = vendor.Services[0].Id;
        var undeclared = await client.PostAsJsonAsync($"/api/vendors/{vendor.Id}/data-flows",
            new DataFlowInput(service, "Payroll", ["financial"], "eu-west-1", [], null), ProvisoFactory.Json);
        Assert.Contains("is not declared for Chat assistant", await undeclared.Content.ReadAsStringAsync());
        var foreign = await client.PostAsJsonAsync($"/api/vendors/{vendor.Id}/data-flows", new DataFlowInput(Guid.NewGuid(), "CRM", [], null, [], null), ProvisoFactory.Json);
        Assert.Contains("Choose one of the vendor's AI services", await foreign.Content.ReadAsStringAsync());
        var ok = await client.PostAsJsonAsync($"/api/vendors/{vendor.Id}/data-flows",
            new DataFlowInput(service, "Support <desk>", ["customer-content", "contact-data"], "eu-west-1", ["CloudHost Ltd"], "Ticket summaries"), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var svg = await client.GetStringAsync($"/api/vendors/{vendor.Id}/data-flows.svg");
        Assert.StartsWith("<svg", svg);
        Assert.Contains("Support &lt;desk&gt;", svg);
        Assert.Contains("CloudHost Ltd", svg);
        var report = await client.GetStringAsync($"/api/vendors/{vendor.Id}/diligence-report?format=html");
        Assert.Contains("<svg", report);
        Assert.Contains("CloudHost Ltd", report);
    }

    [Fact]
    public async Task Risk_register_entries_need_an_owner_and_a_due_date_unless_accepted()
    {
        var vendor = await F.CreateAiVendorAsync();
        var client = await F.ClientAsAsync(Roles.Security);
        var bad = await client.PostAsJsonAsync($"/api/vendors/{vendor.Id}/risks", new RiskItemInput("Trains on prompts", null, "severe", null, "mitigate", null, null, null), ProvisoFactory.Json);
        var body = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Owner is required", body);
        Assert.Contains("'severe' is not a severity", body);
        Assert.Contains("needs a due date", body);
        var accepted = await client.PostAsJsonAsync($"/api/vendors/{vendor.Id}/risks", new RiskItemInput("Trains on prompts", null, "high", "CISO", "accept", null, null, "training_optout"), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var item = (await accepted.Content.ReadFromJsonAsync<RiskItemView>(ProvisoFactory.Json))!;
        var stale = await client.PutAsJsonAsync($"/api/vendors/{vendor.Id}/risks/{item.Id}", new RiskItemInput("Trains on prompts", null, "high", "CISO", "accept", "closed", null, null, Guid.NewGuid()), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var risk = await client.GetFromJsonAsync<ResidualRisk>($"/api/vendors/{vendor.Id}/risk", ProvisoFactory.Json);
        Assert.Contains(risk!.Lines, l => l.Factor == "register" && l.Text.StartsWith("1 open risk register entry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_portal_api_endpoint_refuses_a_caller_without_a_session()
    {
        var sources = F.Services.GetRequiredService<IEnumerable<Microsoft.AspNetCore.Routing.EndpointDataSource>>();
        var patterns = sources.SelectMany(s => s.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").StartsWith("/portal/api/assessments", StringComparison.Ordinal)).ToList();
        Assert.True(patterns.Count >= 6);
        var anonymous = F.Browser();
        foreach (var e in patterns)
        {
            var url = string.Join('/', (e.RoutePattern.RawText ?? "").Split('/').Select(s => s.StartsWith('{') ? Guid.NewGuid().ToString() : s));
            var method = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods[0];
            var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
            {
                Content = method == "GET" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
            });
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.UnsupportedMediaType, $"{method} {url} -> {(int)response.StatusCode}");
        }
    }
}
