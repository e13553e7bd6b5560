using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Proviso.Accounts;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Accounts;

public partial class AccountTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>Signs in through the real form (antiforgery token included) and returns a cookie-carrying client.</summary>
    private static async Task<(HttpClient Client, HttpResponseMessage Response)> SignInAsync(ProvisoFactory factory, string email, string password, string returnUrl = "/vendors")
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/account/login");
        var token = TokenPattern().Match(page).Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }));
        return (client, response);
    }

    [Fact]
    public async Task Health_IsPublic_AndApiIsNot()
    {
        var client = ProvisoFactory.For(DatabaseProvider.Sqlite).Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var api = await client.GetAsync("/api/vendors");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var page = await client.GetAsync("/vendors");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task SignIn_WithConfiguredAdmin_SetsCookieThatOpensApiAndPages()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var (client, response) = await SignInAsync(factory, ProvisoFactory.AdminEmail, ProvisoFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/vendors", response.Headers.Location!.OriginalString);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Contains(Roles.Admin, me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/vendors")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPassword_RedirectsWithError_AndOpenRedirectIsRefused()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var (_, wrong) = await SignInAsync(factory, ProvisoFactory.AdminEmail, "nope");
        Assert.Contains("error=invalid", wrong.Headers.Location!.OriginalString);

        var (_, evil) = await SignInAsync(factory, ProvisoFactory.AdminEmail, ProvisoFactory.AdminPassword, "//evil.example/steal");
        Assert.Equal("/", evil.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task GeneratedPassword_MustBeChangedBeforeAnythingElse()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var admin = await factory.ClientAsAsync(Roles.Admin);
        var email = $"new-{Guid.NewGuid():N}@test.local";
        var created = await admin.PostAsJsonAsync("/api/users", new CreateUserInput(email, "New Person", [Roles.Procurement], null));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<CreatedUser>(ProvisoFactory.Json);
        Assert.NotNull(body!.OneTimePassword);
        Assert.True(body.User.MustChangePassword);

        var (client, signIn) = await SignInAsync(factory, email, body.OneTimePassword!);
        Assert.Equal("/account/change-password", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/vendors")).StatusCode);
        var page = await client.GetAsync("/vendors");
        Assert.Equal("/account/change-password", page.Headers.Location!.OriginalString);

        var form = await client.GetStringAsync("/account/change-password");
        var token = WebUtility.HtmlDecode(TokenPattern().Match(form).Groups[1].Value);
        var changed = await client.PostAsync("/account/change-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["current"] = body.OneTimePassword!,
            ["next"] = "Brand-New-Passw0rd",
            ["confirm"] = "Brand-New-Passw0rd",
        }));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.StartsWith("/?", changed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/vendors")).StatusCode);
    }

    [Fact]
    public async Task ApiKey_Revoked_StopsWorkingAtOnce_AndIsStoredOnlyAsHash()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var owner = await factory.ClientAsAsync(Roles.Security);
        var created = await owner.PostAsJsonAsync("/api/api-keys", new CreateApiKeyInput("ci job", [Permissions.VendorsRead], 30));
        var key = (await created.Content.ReadFromJsonAsync<CreatedApiKey>(ProvisoFactory.Json))!;
        Assert.StartsWith(ApiKey.Prefix, key.Secret);
        var client = factory.WithKey(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/vendors")).StatusCode);

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<global::Proviso.Data.ProvisoDbContext>();
            var stored = db.ApiKeys.Single(k => k.Id == key.Key.Id);
            Assert.Equal(ApiKey.HashOf(key.Secret), stored.Hash);
            Assert.Equal(key.Secret[..(ApiKey.Prefix.Length + 6)], stored.Hint);
            Assert.True(key.Secret.Length > stored.Hint.Length + 30, "The stored hint must not reveal the key.");
        }

        var revoked = await owner.PostAsync($"/api/api-keys/{key.Key.Id}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/vendors")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.WithKey("pvk_made-up").GetAsync("/api/vendors")).StatusCode);
    }

    [Fact]
    public async Task ApiKey_ScopeBeyondOwnersRoles_IsRejected_AndOthersKeysCannotBeRevoked()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var legal = await factory.ClientAsAsync(Roles.Legal);
        var tooMuch = await legal.PostAsJsonAsync("/api/api-keys", new CreateApiKeyInput("x", [Permissions.UsersManage], null));
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Contains("users:manage", await tooMuch.Content.ReadAsStringAsync());

        var security = await factory.ClientAsAsync(Roles.Security);
        var mine = await (await security.PostAsJsonAsync("/api/api-keys", new CreateApiKeyInput("mine", [Permissions.VendorsRead], null)))
            .Content.ReadFromJsonAsync<CreatedApiKey>(ProvisoFactory.Json);
        var attempt = await legal.PostAsync($"/api/api-keys/{mine!.Key.Id}/revoke", null);
        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
    }

    [Fact]
    public async Task DisabledUser_CannotSignIn_AndTheirKeysStop()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var admin = await factory.ClientAsAsync(Roles.Admin);
        var email = $"leaver-{Guid.NewGuid():N}@test.local";
        var user = (await (await admin.PostAsJsonAsync("/api/users", new CreateUserInput(email, null, [Roles.Privacy], "Leaver-Passw0rd!")))
            .Content.ReadFromJsonAsync<CreatedUser>(ProvisoFactory.Json))!;
        Assert.Null(user.OneTimePassword);
        string secret;
        using (var scope = factory.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            secret = (await accounts.CreateApiKeyAsync(user.User.Id, new CreateApiKeyInput("k", [Permissions.VendorsRead], null))).Value!.Secret;
        }
        Assert.Equal(HttpStatusCode.OK, (await factory.WithKey(secret).GetAsync("/api/vendors")).StatusCode);

        var disable = await admin.PutAsJsonAsync($"/api/users/{user.User.Id}", new UpdateUserInput(null, null, true));
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.WithKey(secret).GetAsync("/api/vendors")).StatusCode);
        var (_, signIn) = await SignInAsync(factory, email, "Leaver-Passw0rd!");
        Assert.Contains("error=invalid", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Users_UnknownRoleOrDuplicateEmail_AreClearErrors()
    {
        var admin = await ProvisoFactory.For(DatabaseProvider.Sqlite).ClientAsAsync(Roles.Admin);
        var badRole = await admin.PostAsJsonAsync("/api/users", new CreateUserInput("r@test.local", null, ["Wizard"], null));
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains("Unknown role 'Wizard'", await badRole.Content.ReadAsStringAsync());

        var dup = await admin.PostAsJsonAsync("/api/users", new CreateUserInput(ProvisoFactory.AdminEmail.ToUpperInvariant(), null, [], null));
        Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);

        var weak = await admin.PostAsJsonAsync("/api/users", new CreateUserInput($"w-{Guid.NewGuid():N}@test.local", null, [], "short"));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
    }

    [Fact]
    public async Task FirstStart_WithoutConfiguredPassword_CreatesAdminWithOneTimePassword()
    {
        using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:Admin:Password"] = null, ["Proviso:Demo:Enabled"] = "true" });
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ProvisoUser>>();
        var admin = await users.FindByEmailAsync(ProvisoFactory.AdminEmail);

        Assert.NotNull(admin);
        Assert.True(admin.MustChangePassword);
        Assert.Contains(Roles.Admin, await users.GetRolesAsync(admin));
        Assert.Single(users.Users);

        var vendors = scope.ServiceProvider.GetRequiredService<VendorService>();
        var page = await vendors.QueryAsync(new VendorQuery());
        Assert.Equal(Demo.DemoSeeder.Vendors().Count, page.Total);
        Assert.Contains(page.Items, v => v.Name == "Lumen AI" && v.RiskTier == RiskTier.Critical);

        var stats = await vendors.StatsAsync();
        var demo = Demo.DemoSeeder.Vendors();
        Assert.Equal(demo.Count, stats.Vendors);
        Assert.Equal(demo.Sum(v => v.Services!.Count), stats.Services);
        Assert.Equal(demo.Count(v => v.Status == VendorStatus.UnderReview), stats.UnderReview);
        Assert.Equal(stats.Vendors, stats.ByRisk.Values.Sum());
        Assert.Equal(RiskTier.Critical, stats.Top[0].RiskTier);

        // The demo's Lumen AI comes with a reviewed contract showing each kind of finding.
        var contracts = scope.ServiceProvider.GetRequiredService<Proviso.Contracts.ContractReviewService>();
        var lumen = page.Items.Single(v => v.Name == "Lumen AI");
        var review = await contracts.GetAsync(Assert.Single(await contracts.ListAsync(lumen.Id)).Id);
        var statuses = review!.Clauses.Select(c => c.Status).ToHashSet();
        Assert.Equal(Enum.GetValues<Proviso.Clauses.Analysis.ClauseStatus>().ToHashSet(), statuses);
    }
}
