using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Proviso.Accounts;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Vendors;

public class ImportExportTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private const string Header = "name,website,status,owner,tags,service,data_categories,criticality,monthly_records,endpoints";

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName, string query = "")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync("/api/vendors/import" + query, form);
    }

    private static async Task<int> CountAsync(HttpClient client, string search) =>
        (await client.GetFromJsonAsync<VendorPage>($"/api/vendors?search={Uri.EscapeDataString(search)}&includeArchived=true", ProvisoFactory.Json))!.Total;

    [Theory, MemberData(nameof(Providers))]
    public async Task ImportCsv_GroupsServiceRowsByVendor_AndReportsEachRow(DatabaseProvider provider)
    {
        var client = await ProvisoFactory.For(provider).ClientAsAsync(Roles.Procurement);
        var tag = "imp" + Guid.NewGuid().ToString("N")[..8];
        var csv = $"""
            {Header}
            {tag} One,one.example,approved,Ann,{tag};crm,Chat,contact-data;customer content,high,"1,200",https://api.one.example|eu-west-1; https://us.one.example|us-east-1
            {tag} One,,,,,Search,customer-content,low,,
            {tag} Two,two.example,Under review,Bob,{tag},,,,,
            """;

        var response = await UploadAsync(client, Encoding.UTF8.GetBytes(csv), "vendors.csv");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = System.Text.Json.JsonSerializer.Deserialize<ImportReport>(body, ProvisoFactory.Json)!;
        Assert.True(report.Committed);
        Assert.Equal(2, report.VendorsCreated);
        Assert.Equal(2, report.ServicesCreated);
        Assert.Equal([2, 3, 4], report.Rows.Select(r => r.Line));
        var list = await client.GetFromJsonAsync<VendorPage>($"/api/vendors?tag={tag}&sort=name", ProvisoFactory.Json);
        var one = await client.GetFromJsonAsync<VendorDetails>($"/api/vendors/{list!.Items[0].Id}", ProvisoFactory.Json);
        Assert.Equal(VendorStatus.Approved, one!.Status);
        Assert.Equal(2, one.Services.Count);
        var chat = one.Services.Single(s => s.Name == "Chat");
        Assert.Equal(1200, chat.MonthlyRecords);
        Assert.Equal([DataCategory.ContactData, DataCategory.CustomerContent], chat.DataCategories);
        Assert.Equal(["eu-west-1", "us-east-1"], chat.Endpoints.Select(e => e.Region));
        Assert.Equal(VendorStatus.UnderReview, list.Items[1].Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ImportCsv_OneBadRow_AllOrNothingSavesNothingAndNamesLines(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var existing = await factory.CreateVendorAsync(new VendorInput { Name = ProvisoFactory.UniqueName("Existing") });
        var client = await factory.ClientAsAsync(Roles.Procurement);
        var p = "bad" + Guid.NewGuid().ToString("N")[..8];
        var csv = $"""
            {Header}
            {p} Good,good.example,approved,,,,,,,
            {p} Status,,sometimes,,,,,,,
            {p} Cat,,,,,Svc,dna,,,
            {existing.Name.ToLowerInvariant()},,,,,,,,,
            {p} Num,,,,,Svc,,critical,lots,
            ,,,,,,,,,
            {p} Ragged,,,,,,,,,,extra
            """;

        var response = await UploadAsync(client, Encoding.UTF8.GetBytes(csv), "vendors.csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<ImportReport>(ProvisoFactory.Json))!;
        Assert.False(report.Committed);
        Assert.Equal(0, report.VendorsCreated);
        string ErrorsAt(int line) => string.Join(" ", report.Rows.Single(r => r.Line == line).Errors);
        Assert.True(report.Rows.Single(r => r.Line == 2).Ok);
        Assert.Contains("Unknown status 'sometimes'", ErrorsAt(3));
        Assert.Contains("Unknown data category 'dna'", ErrorsAt(4));
        Assert.Contains("already exists", ErrorsAt(5));
        Assert.Contains("'lots' is not a whole number", ErrorsAt(6));
        Assert.Contains("header has 10 columns", ErrorsAt(8));
        Assert.Equal(0, await CountAsync(client, p));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ImportCsv_ValidOnlyMode_SavesTheValidVendors(DatabaseProvider provider)
    {
        var client = await ProvisoFactory.For(provider).ClientAsAsync(Roles.Procurement);
        var p = "vo" + Guid.NewGuid().ToString("N")[..8];
        var csv = $"{Header}\n{p} Good,,,,,,,,,\n{p} Bad,,nope,,,,,,,\n";

        var response = await UploadAsync(client, Encoding.UTF8.GetBytes(csv), "v.csv", "?mode=valid-only");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<ImportReport>(ProvisoFactory.Json))!;
        Assert.True(report.Committed);
        Assert.Equal(1, report.VendorsCreated);
        Assert.Equal(1, report.RowsRejected);
        Assert.Equal(1, await CountAsync(client, p));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ImportCsv_DuplicateVendorRowsWithConflictingFields_AreRejected(DatabaseProvider provider)
    {
        var client = await ProvisoFactory.For(provider).ClientAsAsync(Roles.Procurement);
        var p = "dup" + Guid.NewGuid().ToString("N")[..8];
        var csv = $"{Header}\n{p},a.example,approved,,,S1,,,,\n{p},b.example,approved,,,S2,,,,\n{p},,,,,S1,,,,\n";

        var response = await UploadAsync(client, Encoding.UTF8.GetBytes(csv), "v.csv");

        var report = (await response.Content.ReadFromJsonAsync<ImportReport>(ProvisoFactory.Json))!;
        Assert.Contains(report.Rows.Single(r => r.Line == 3).Errors, e => e.Contains("'website'", StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync(client, p));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_BadFiles_GetClearErrors(DatabaseProvider provider)
    {
        var client = await ProvisoFactory.For(provider).ClientAsAsync(Roles.Procurement);

        var unknownColumn = await UploadAsync(client, Encoding.UTF8.GetBytes("name,colour\nX,blue\n"), "v.csv");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownColumn.StatusCode);
        Assert.Contains("Unknown column 'colour'", await unknownColumn.Content.ReadAsStringAsync());

        var invalidUtf8 = await UploadAsync(client, [.. Encoding.ASCII.GetBytes("name\nCaf"), 0xC3, 0x28, (byte)'\n'], "v.csv");
        Assert.Contains("not valid UTF-8", await invalidUtf8.Content.ReadAsStringAsync());

        var empty = await UploadAsync(client, Encoding.UTF8.GetBytes("\n\n"), "v.csv");
        Assert.Contains("empty", await empty.Content.ReadAsStringAsync());

        var fakeXlsx = await UploadAsync(client, Encoding.UTF8.GetBytes("MZ this is an executable"), "v.xlsx");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, fakeXlsx.StatusCode);
        Assert.Contains("not a valid Excel workbook", await fakeXlsx.Content.ReadAsStringAsync());

        var wrongType = await UploadAsync(client, [1, 2, 3], "v.exe");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);

        var huge = new byte[11 * 1024 * 1024];
        var tooLarge = await UploadAsync(client, huge, "v.csv");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Export_NeutralizesFormulaCells_AndXlsxRoundTripsThroughImport(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var p = "exp" + Guid.NewGuid().ToString("N")[..8];
        var evil = "=HYPERLINK(\"http://evil.example\",\"click\")";
        await factory.CreateVendorAsync(new VendorInput
        {
            Name = $"{p} Formula",
            Owner = "@admin",
            Description = evil,
            Tags = [p],
            Services = [new ServiceInput { Name = "+Svc", Purpose = "-1+2", DataCategories = [DataCategory.Health], Criticality = Criticality.High }],
        });
        var client = await factory.ClientAsAsync(Roles.Auditor);

        var csv = await client.GetStringAsync("/api/vendors/export?format=csv");
        Assert.Contains("'=HYPERLINK", csv);
        Assert.Contains("'@admin", csv);
        Assert.Contains("'+Svc", csv);
        Assert.DoesNotContain(",=HYPERLINK", csv);

        var xlsx = await client.GetByteArrayAsync("/api/vendors/export?format=xlsx");
        Assert.Equal((byte)'P', xlsx[0]);
        var table = VendorTable.ReadXlsx(new MemoryStream(xlsx), 100_000);
        Assert.Equal(VendorTransfer.Columns, table.Header);
        var row = table.Rows.Single(r => r.Cells[0] == $"{p} Formula");
        Assert.Equal(evil, row.Cells[VendorTransfer.Columns.ToList().IndexOf("description")]);

        // Re-import the exported workbook into a fresh database: the vendor comes back unchanged.
        using var fresh = new ProvisoFactory(DatabaseProvider.Sqlite);
        var importer = await fresh.ClientAsAsync(Roles.Procurement);
        var imported = await UploadAsync(importer, xlsx, "export.xlsx");
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var list = await importer.GetFromJsonAsync<VendorPage>($"/api/vendors?tag={p}", ProvisoFactory.Json);
        var back = await importer.GetFromJsonAsync<VendorDetails>($"/api/vendors/{list!.Items.Single().Id}", ProvisoFactory.Json);
        Assert.Equal(evil, back!.Description);
        Assert.Equal("@admin", back.Owner);
        Assert.Equal("+Svc", back.Services.Single().Name);
        Assert.Equal(RiskTier.Critical, back.Risk.Tier);
    }

    [Fact]
    public void Neutralize_PrefixesEveryFormulaStarter_AndUnneutralizeReverses()
    {
        foreach (var s in new[] { "=1+1", "+1", "-1", "@x", "\tx", "\rx" })
        {
            var n = VendorTable.Neutralize(s);
            Assert.Equal("'" + s, n);
            Assert.Equal(s, VendorTable.Unneutralize(n));
        }
        Assert.Equal("plain", VendorTable.Neutralize("plain"));
        Assert.Equal("'quoted", VendorTable.Unneutralize("'quoted"));
    }
}
