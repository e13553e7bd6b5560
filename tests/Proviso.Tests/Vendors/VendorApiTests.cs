using System.Net;
using System.Net.Http.Json;
using System.Text;
using Proviso.Accounts;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Vendors;

public class VendorApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static VendorInput NewVendor(string? name = null, params ServiceInput[] services) => new()
    {
        Name = name ?? ProvisoFactory.UniqueName("Acme AI"),
        Website = "acme.example",
        Owner = "Jo Buyer",
        Status = VendorStatus.UnderReview,
        Tags = ["CRM", "genai", "crm"],
        Contacts = [new ContactInput("Pat Seller", "pat@acme.example", "Sales")],
        Services = [.. services],
    };

    private static ServiceInput Service(string name, Criticality criticality, params DataCategory[] categories) => new()
    {
        Name = name,
        Purpose = "Summaries",
        Criticality = criticality,
        DataCategories = [.. categories],
        Endpoints = [new EndpointInput("https://api.acme.example/v1", "eu-west-1")],
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task Create_ThenGet_ReturnsVendorWithRiskAndAuditStamps(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var created = await factory.CreateVendorAsync(NewVendor(null, Service("Voice ID", Criticality.High, DataCategory.Biometrics, DataCategory.ContactData)));

        var client = await factory.ClientAsAsync(Roles.Auditor);
        var got = await client.GetFromJsonAsync<VendorDetails>($"/api/vendors/{created.Id}", ProvisoFactory.Json);

        Assert.NotNull(got);
        Assert.Equal("https://acme.example", got.Website);
        Assert.Equal(["crm", "genai"], got.Tags);
        Assert.Equal(RiskTier.Critical, got.Risk.Tier);
        Assert.Contains(got.Risk.Reasons, r => r.Contains("biometrics", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("procurement-", got.CreatedBy);
        Assert.Contains("(key test)", got.CreatedBy);
        Assert.Single(got.Services);
        Assert.Equal("eu-west-1", got.Services[0].Endpoints[0].Region);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Create_DuplicateNameIgnoringCase_Returns409AndKeepsOriginal(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var name = ProvisoFactory.UniqueName("Dup Vendor");
        var first = await factory.CreateVendorAsync(NewVendor(name));
        var client = await factory.ClientAsAsync(Roles.Procurement);

        var response = await client.PostAsJsonAsync("/api/vendors", NewVendor("  " + name.ToUpperInvariant() + " ") with { Owner = "Someone else" }, ProvisoFactory.Json);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already exists", await response.Content.ReadAsStringAsync());
        var kept = await client.GetFromJsonAsync<VendorDetails>($"/api/vendors/{first.Id}", ProvisoFactory.Json);
        Assert.Equal("Jo Buyer", kept!.Owner);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Create_InvalidFields_Returns400WithEachFieldNamed(DatabaseProvider provider)
    {
        var client = await ProvisoFactory.For(provider).ClientAsAsync(Roles.Procurement);
        var input = NewVendor(new string('x', Vendor.NameMax + 1)) with
        {
            Website = "ftp://files.example",
            Contacts = [new ContactInput("", "not-an-email")],
            Services = [new ServiceInput { Name = "", MonthlyRecords = -5, Endpoints = [new EndpointInput("javascript:alert(1)", null)] }],
        };

        var response = await client.PostAsJsonAsync("/api/vendors", input, ProvisoFactory.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.Contains("limit is 200", problem!.Errors["name"][0]);
        Assert.True(problem.Errors.ContainsKey("website"));
        Assert.True(problem.Errors.ContainsKey("contacts[0].name"));
        Assert.True(problem.Errors.ContainsKey("contacts[0].email"));
        Assert.True(problem.Errors.ContainsKey("services[0].name"));
        Assert.True(problem.Errors.ContainsKey("services[0].monthlyRecords"));
        Assert.True(problem.Errors.ContainsKey("services[0].endpoints[0].url"));
        var list = await client.GetFromJsonAsync<VendorPage>($"/api/vendors?search={Uri.EscapeDataString(new string('x', 50))}", ProvisoFactory.Json);
        Assert.Equal(0, list!.Total);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Create_UnknownEnumValue_Returns400NamingTheField(DatabaseProvider provider)
    {
        var client = await ProvisoFactory.For(provider).ClientAsAsync(Roles.Procurement);
        var name = ProvisoFactory.UniqueName("Enum");
        var body = $$"""{"name":"{{name}}","status":"maybe-later","services":[{"name":"s","dataCategories":["dna"]}]}""";

        var response = await client.PostAsync("/api/vendors", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("$.status", text);
        Assert.DoesNotContain("Proviso.Vendors", text);
        var list = await client.GetFromJsonAsync<VendorPage>($"/api/vendors?search={Uri.EscapeDataString(name)}", ProvisoFactory.Json);
        Assert.Equal(0, list!.Total);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Create_MalformedJson_Returns400ProblemDetails(DatabaseProvider provider)
    {
        var client = await ProvisoFactory.For(provider).ClientAsAsync(Roles.Procurement);
        var response = await client.PostAsync("/api/vendors", new StringContent("{\"name\": \"x\",", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON body is invalid", await response.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Update_WithStaleVersion_Returns409AndDoesNotOverwrite(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var v = await factory.CreateVendorAsync(NewVendor());
        var client = await factory.ClientAsAsync(Roles.Security);

        var first = await client.PutAsJsonAsync($"/api/vendors/{v.Id}", NewVendor(v.Name) with { Owner = "First editor", Version = v.Version }, ProvisoFactory.Json);
        var second = await client.PutAsJsonAsync($"/api/vendors/{v.Id}", NewVendor(v.Name) with { Owner = "Second editor", Version = v.Version }, ProvisoFactory.Json);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var now = await client.GetFromJsonAsync<VendorDetails>($"/api/vendors/{v.Id}", ProvisoFactory.Json);
        Assert.Equal("First editor", now!.Owner);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Archive_HidesFromDefaultListAndRestoreBringsBack(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var v = await factory.CreateVendorAsync(NewVendor());
        var client = await factory.ClientAsAsync(Roles.Procurement);
        var search = $"/api/vendors?search={Uri.EscapeDataString(v.Name)}";

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/vendors/{v.Id}/archive", null)).StatusCode);
        Assert.Equal(0, (await client.GetFromJsonAsync<VendorPage>(search, ProvisoFactory.Json))!.Total);
        Assert.Equal(1, (await client.GetFromJsonAsync<VendorPage>(search + "&includeArchived=true", ProvisoFactory.Json))!.Total);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/vendors/{v.Id}/restore", null)).StatusCode);
        Assert.Equal(1, (await client.GetFromJsonAsync<VendorPage>(search, ProvisoFactory.Json))!.Total);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task List_FiltersSortsAndPages(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var tag = "t" + Guid.NewGuid().ToString("N")[..10];
        var low = await factory.CreateVendorAsync(NewVendor(ProvisoFactory.UniqueName("Zeta")) with { Tags = [tag], Status = VendorStatus.Prospect });
        var high = await factory.CreateVendorAsync(NewVendor(ProvisoFactory.UniqueName("Alpha"), Service("Ids", Criticality.Low, DataCategory.Credentials)) with { Tags = [tag] });
        var critical = await factory.CreateVendorAsync(NewVendor(ProvisoFactory.UniqueName("Mid"), Service("Kids", Criticality.Critical, DataCategory.ChildrensData)) with { Tags = [tag.ToUpperInvariant()] });
        var client = await factory.ClientAsAsync(Roles.Legal);

        var byRisk = await client.GetFromJsonAsync<VendorPage>($"/api/vendors?tag={tag}&sort=risk&desc=true", ProvisoFactory.Json);
        Assert.Equal([critical.Id, high.Id, low.Id], byRisk!.Items.Select(i => i.Id));

        var byName = await client.GetFromJsonAsync<VendorPage>($"/api/vendors?tag={tag}&sort=name&pageSize=2&page=2", ProvisoFactory.Json);
        Assert.Equal(3, byName!.Total);
        Assert.Equal([low.Id], byName.Items.Select(i => i.Id));

        var prospects = await client.GetFromJsonAsync<VendorPage>($"/api/vendors?tag={tag}&status=prospect", ProvisoFactory.Json);
        Assert.Equal([low.Id], prospects!.Items.Select(i => i.Id));

        var critOnly = await client.GetFromJsonAsync<VendorPage>($"/api/vendors?tag={tag}&risk=critical", ProvisoFactory.Json);
        Assert.Equal([critical.Id], critOnly!.Items.Select(i => i.Id));

        var bad = await client.GetAsync($"/api/vendors?status=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Services_AddUpdateRemove_RecomputesVendorRisk(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var v = await factory.CreateVendorAsync(NewVendor());
        var client = await factory.ClientAsAsync(Roles.Privacy);
        Assert.Equal(RiskTier.Low, v.Risk.Tier);

        var added = await client.PostAsJsonAsync($"/api/vendors/{v.Id}/services", Service("Notes", Criticality.Medium, DataCategory.Health), ProvisoFactory.Json);
        var withService = await added.Content.ReadFromJsonAsync<VendorDetails>(ProvisoFactory.Json);
        Assert.Equal(RiskTier.High, withService!.Risk.Tier);

        var sid = withService.Services[0].Id;
        var dup = await client.PostAsJsonAsync($"/api/vendors/{v.Id}/services", Service("NOTES", Criticality.Low), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);

        var updated = await client.PutAsJsonAsync($"/api/vendors/{v.Id}/services/{sid}", Service("Notes", Criticality.Critical, DataCategory.Health), ProvisoFactory.Json);
        Assert.Equal(RiskTier.Critical, (await updated.Content.ReadFromJsonAsync<VendorDetails>(ProvisoFactory.Json))!.Risk.Tier);

        var removed = await client.DeleteAsync($"/api/vendors/{v.Id}/services/{sid}");
        Assert.Equal(RiskTier.Low, (await removed.Content.ReadFromJsonAsync<VendorDetails>(ProvisoFactory.Json))!.Risk.Tier);
        var listed = await client.GetFromJsonAsync<VendorPage>($"/api/vendors?search={Uri.EscapeDataString(v.Name)}", ProvisoFactory.Json);
        Assert.Equal(RiskTier.Low, listed!.Items.Single().RiskTier);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Get_UnknownVendor_Returns404Problem(DatabaseProvider provider)
    {
        var client = await ProvisoFactory.For(provider).ClientAsAsync(Roles.Auditor);
        var response = await client.GetAsync($"/api/vendors/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
