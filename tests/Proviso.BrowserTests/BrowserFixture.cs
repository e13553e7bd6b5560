using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Proviso.BrowserTests;

/// <summary>
/// Proviso on a real Kestrel port with a fresh SQLite data directory, and Debian's Chromium driven by
/// Playwright through ExecutablePath (no browser is ever downloaded).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@browser.local";
    public const string AdminPassword = "Browser-Admin-Passw0rd";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "proviso-browser", Guid.NewGuid().ToString("N")[..10]);
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("PROVISO_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Proviso:DataDir", _dataDir);
            b.UseSetting("Proviso:Admin:Email", AdminEmail);
            b.UseSetting("Proviso:Admin:Password", AdminPassword);
            b.UseSetting("Proviso:Demo:Enabled", "true");
            b.UseSetting("Proviso:Demo:UpstreamUrl", "http://127.0.0.1:9/v1");
            b.UseSetting("Proviso:Demo:GatewayKey", "pgw_browser_demo_key");
            // A free loopback port per fixture, so test classes never fight over one.
            b.UseUrls("http://127.0.0.1:0");
        });
        _factory.UseKestrel();
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);

        _playwright = await Playwright.CreateAsync();
        // Test classes run in parallel, each with its own host and browser, on small CI machines: give the UI time.
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>The host's services, for arranging data the test is not about.</summary>
    public IServiceProvider Services => _factory!.Services;

    /// <summary>A fresh browser with no session: a vendor contact, or someone about to sign in.</summary>
    public async Task<IPage> AnonymousPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    public async Task<IPage> SignedInPageAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var page = await AnonymousPageAsync();
        await page.GotoAsync("/");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByTestId("current-user")).ToBeVisibleAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
