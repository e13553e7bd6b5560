using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Proviso.Accounts;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Accounts;

/// <summary>
/// Enumerates every endpoint the host maps, so a new endpoint is covered the day it is added:
/// anonymous callers get 401 everywhere but the few public endpoints, and callers whose roles lack
/// an endpoint's permission get 403.
/// </summary>
public class AuthorizationTests
{
    private static readonly string[] PublicPaths = ["/health", "/account/login", "/account/external-login", "/account/external-callback", "/signin-oidc"];

    private sealed record Target(string Method, string Url, string? Permission, string Pattern);

    private static List<Target> Targets(ProvisoFactory factory)
    {
        var sources = factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var targets = new List<Target>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (!pattern.StartsWith("/api", StringComparison.Ordinal) && !pattern.StartsWith("/openapi", StringComparison.Ordinal)
                && !pattern.StartsWith("/account", StringComparison.Ordinal) && pattern != "/health")
            {
                continue;
            }
            var url = string.Join('/', pattern.Split('/').Select(segment => segment.StartsWith('{')
                ? segment.Contains(":guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString()
                : segment.Contains(":long", StringComparison.Ordinal) || segment.Contains(":int", StringComparison.Ordinal) ? "1"
                : segment.Contains("documentName", StringComparison.Ordinal) ? "v1.json" : "x"
                : segment));
            url = url.Replace("{documentName}.json", "v1.json", StringComparison.Ordinal);
            var permission = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null && Permissions.RolesFor.ContainsKey(p));
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            targets.AddRange(methods.Select(m => new Target(m, url, permission, pattern)));
        }
        return targets;
    }

    private static HttpRequestMessage Request(Target t) => new(new HttpMethod(t.Method), t.Url)
    {
        Content = t.Method is "POST" or "PUT" or "PATCH" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
    };

    [Fact]
    public async Task EveryApiEndpoint_Anonymous_Gets401()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        // The API reference page's own script and icon files are public static assets; the page and the document are not.
        var targets = Targets(factory).Where(t => !PublicPaths.Contains(t.Pattern) && !t.Pattern.StartsWith("/account", StringComparison.Ordinal)
            && !(t.Pattern.StartsWith("/api/reference/", StringComparison.Ordinal) && Path.HasExtension(t.Pattern))).ToList();
        Assert.True(targets.Count >= 15, $"Only {targets.Count} endpoints found; enumeration is broken.");
        var client = factory.Anonymous();
        var failures = new List<string>();
        foreach (var t in targets)
        {
            var response = await client.SendAsync(Request(t));
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{t.Method} {t.Url} -> {(int)response.StatusCode}");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task EveryApiEndpoint_HasAPermissionOrIsExplicitlyAuthenticatedOnly()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var open = Targets(factory).Where(t => t.Pattern.StartsWith("/api", StringComparison.Ordinal) && t.Permission is null).Select(t => t.Pattern).Distinct().ToList();
        // Only "who am I" and the API reference page need nothing beyond signing in.
        Assert.All(open, p => Assert.True(p == "/api/me" || p.StartsWith("/api/reference", StringComparison.Ordinal), $"{p} has no permission policy"));
    }

    [Fact]
    public async Task EveryPermissionEndpoint_RoleWithoutThePermission_Gets403()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var group in Targets(factory).Where(t => t.Permission is not null).GroupBy(t => t.Permission!))
        {
            var allowed = Permissions.RolesFor[group.Key];
            var denied = Roles.All.Where(r => !allowed.Contains(r)).Select(r => new[] { r }).Append([]).ToList();
            foreach (var roles in denied)
            {
                var client = await factory.ClientAsAsync(roles);
                foreach (var t in group)
                {
                    checkedCount++;
                    var response = await client.SendAsync(Request(t));
                    if (response.StatusCode != HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{t.Method} {t.Url} as [{string.Join(',', roles)}] -> {(int)response.StatusCode}");
                    }
                }
            }
        }
        Assert.True(checkedCount > 20);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task ApiKey_LimitedToReadScope_CannotWriteEvenIfOwnerIsAdmin()
    {
        var factory = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var secret = await factory.CreateUserWithKeyAsync([Roles.Admin], [Permissions.VendorsRead]);
        var client = factory.WithKey(secret);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/vendors")).StatusCode);
        var write = await client.PostAsync("/api/vendors", new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/users")).StatusCode);
    }
}
