using System.Net;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Accounts;

public class OidcTests
{
    [Fact]
    public async Task ExternalLogin_WhenConfigured_ChallengesTheIdentityProviderWithPkce()
    {
        using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Proviso:Oidc:Authority"] = "https://idp.example",
            ["Proviso:Oidc:ClientId"] = "proviso",
            ["Proviso:Oidc:DisplayName"] = "Example SSO",
        });
        // The provider's discovery document cannot be fetched here; hand the handler its endpoints directly.
        using var configured = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.PostConfigure<OpenIdConnectOptions>("oidc", o =>
            {
                o.Configuration = new OpenIdConnectConfiguration
                {
                    Issuer = "https://idp.example",
                    AuthorizationEndpoint = "https://idp.example/authorize",
                    TokenEndpoint = "https://idp.example/token",
                };
                o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(o.Configuration);
            })));
        var client = configured.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var login = await client.GetStringAsync("/account/login");
        Assert.Contains("Continue with Example SSO", login);

        var challenge = await client.GetAsync("/account/external-login?returnUrl=/vendors");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!.ToString();
        Assert.StartsWith("https://idp.example/authorize?", location);
        Assert.Contains("client_id=proviso", location);
        Assert.Contains("code_challenge=", location);
        Assert.Contains("redirect_uri=http%3A%2F%2Flocalhost%2Fsignin-oidc", location);
    }

    [Fact]
    public async Task ExternalLogin_WhenNotConfigured_Is404AndLoginPageHasNoButton()
    {
        var client = ProvisoFactory.For(DatabaseProvider.Sqlite).Anonymous();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/account/external-login")).StatusCode);
        Assert.DoesNotContain("Continue with", await client.GetStringAsync("/account/login"));
    }
}
