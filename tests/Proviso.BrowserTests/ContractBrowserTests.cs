using System.Text;
using Microsoft.Playwright;

namespace Proviso.BrowserTests;

public class ContractBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Contract = """
        # Data Processing Terms

        1. Training. Vendor may use Customer Content in aggregated form to train and improve its models.
        2. Security Incidents. Vendor will notify Customer of any Security Incident within 24 hours of becoming aware of it.
        3. Deletion. Upon termination Vendor will delete Customer Data within 90 days.
        4. General. The parties agree that this Agreement is governed by the laws of Ireland.
        """;

    private static async Task UploadAsync(IPage page, string name, string content) =>
        await page.GetByTestId("vendor-contracts").Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload
        {
            Name = name, MimeType = "application/octet-stream", Buffer = Encoding.UTF8.GetBytes(content),
        });

    [BrowserFact]
    public async Task UploadContract_SeeHighlightedClauses_OverrideAFinding_DownloadTheReport()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/vendors");
        await page.GetByRole(AriaRole.Link, new() { Name = "Lumen AI" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vendor-title")).ToHaveTextAsync("Lumen AI");

        // A file the reader cannot read is refused on the vendor page, with the reader's reason. The upload control sits in an
        // AuthorizeView that renders once the authentication state is known; a file set before its input is wired up is lost
        // (seen once in CI on a loaded machine), so the first upload is repeated until the page answers.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Upload contract" })).ToBeVisibleAsync();
        var error = page.GetByTestId("contract-error");
        for (var attempt = 0; attempt < 3 && !await error.IsVisibleAsync(); attempt++)
        {
            await UploadAsync(page, "broken.pdf", "%PDF-1.7 not really a pdf");
            try
            {
                await error.WaitForAsync(new() { Timeout = 5000 });
            }
            catch (TimeoutException)
            {
                // Not wired up yet: try again.
            }
        }
        await Assertions.Expect(error).ToContainTextAsync("the PDF is damaged or not a PDF");

        await UploadAsync(page, "terms.md", Contract);

        await Assertions.Expect(page.GetByTestId("contract-title")).ToHaveTextAsync("terms.md");
        var training = page.Locator("#ev-non-training");
        await Assertions.Expect(training).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("contrary"));
        await Assertions.Expect(training).ToContainTextAsync("train and improve");
        await Assertions.Expect(page.Locator("#ev-breach-notification")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("present"));
        var deletion = page.GetByTestId("clause-deletion-on-termination");
        await Assertions.Expect(deletion.GetByTestId("status")).ToHaveTextAsync("weak");

        await page.GetByLabel("Override deletion-on-termination").ClickAsync();
        await deletion.GetByTestId("override-form").Locator("div.mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "present" }).ClickAsync();
        await deletion.GetByLabel("Reason (kept with the decision)").FillAsync("Side letter shortens deletion to 30 days.");
        await deletion.GetByRole(AriaRole.Button, new() { Name = "Save override" }).ClickAsync();

        await Assertions.Expect(deletion.GetByTestId("status")).ToHaveTextAsync("present");
        await Assertions.Expect(deletion.GetByTestId("decision")).ToContainTextAsync("Overridden by");
        await Assertions.Expect(deletion.GetByTestId("decision")).ToContainTextAsync("Side letter shortens deletion to 30 days.");

        var id = page.Url.Split('/').Last();
        var report = await page.Context.APIRequest.GetAsync($"/api/contracts/{id}/report?format=html");
        Assert.Equal(200, report.Status);
        var html = await report.TextAsync();
        Assert.Contains("<tr id=\"deletion-on-termination\">", html, StringComparison.Ordinal);
        Assert.Contains("Reviewer override", html, StringComparison.Ordinal);

        // The decision survives a reload: it is stored, not held by the page.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("clause-deletion-on-termination").GetByTestId("status")).ToHaveTextAsync("present");
    }
}
