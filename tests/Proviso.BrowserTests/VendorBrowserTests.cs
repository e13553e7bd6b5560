using Microsoft.Playwright;

namespace Proviso.BrowserTests;

public class VendorBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task SignIn_CreateVendor_FindItInTheList()
    {
        var page = await fixture.SignedInPageAsync();
        var name = "Browser Vendor " + Guid.NewGuid().ToString("N")[..6];

        await page.GotoAsync("/vendors");
        await page.GetByTestId("new-vendor").ClickAsync();
        await page.FillAsync("#vendor-name", name);
        await page.FillAsync("#vendor-website", "browser-vendor.example");
        await page.FillAsync("#vendor-owner", "Playwright");
        await page.GetByTestId("save-vendor").ClickAsync();

        await Assertions.Expect(page.GetByTestId("vendor-title")).ToHaveTextAsync(name);

        await page.GotoAsync("/vendors");
        await page.FillAsync("#vendor-search", name[..20]);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = name })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Lumen AI" })).Not.ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task Dashboard_ShowsTheDemoWorkspace()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("vendor-count")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("top-risk").GetByRole(AriaRole.Link, new() { Name = "Lumen AI" })).ToBeVisibleAsync();
        // Demo vendors were never assessed, so each is due for its first assessment.
        await Assertions.Expect(page.GetByTestId("due-assessments").GetByRole(AriaRole.Link, new() { Name = "Lumen AI" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task VendorForm_DuplicateName_ShowsTheErrorAndKeepsTheForm()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/vendors/new");
        await page.FillAsync("#vendor-name", "lumen ai");
        await page.GetByTestId("save-vendor").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-error")).ToContainTextAsync("already exists");
        await Assertions.Expect(page.Locator("#vendor-name")).ToHaveValueAsync("lumen ai");
    }
}
