using Microsoft.Playwright;

namespace Proviso.BrowserTests;

public class AuditBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task AuditPage_ListsTheDemoSeedEntries_AndVerifyConfirmsTheLog()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/audit");

        await Assertions.Expect(page.GetByTestId("ledger-table")).ToContainTextAsync("vendor.created");
        await Assertions.Expect(page.GetByTestId("ledger-table")).ToContainTextAsync("demo-seed");
        await Assertions.Expect(page.GetByTestId("tree-size")).Not.ToHaveTextAsync("0");
        // Auditors see what a recorded entry promises: the default flushes every commit to disk.
        await Assertions.Expect(page.GetByTestId("ledger-durability")).ToContainTextAsync("flushed");

        await page.GetByTestId("verify-ledger").ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-result")).ToContainTextAsync("Verified");
    }
}
