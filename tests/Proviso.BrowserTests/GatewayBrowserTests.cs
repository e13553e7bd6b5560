using Microsoft.Playwright;

namespace Proviso.BrowserTests;

public class GatewayBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task GatewayPage_CreatesAnApplicationKey_ShownOnce()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/gateway");
        await Assertions.Expect(page.GetByText("demo-app")).ToBeVisibleAsync();

        await page.FillAsync("#gateway-app-name", "support-assistant");
        await page.Locator(".gateway-services .mud-input-control-input-container").First.ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("Local Model Server / demo-llm").ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.GetByTestId("create-gateway-app").ClickAsync();


        await Assertions.Expect(page.GetByTestId("gateway-key")).ToContainTextAsync("pgw_");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "support-assistant" })).ToBeVisibleAsync();
    }
}
