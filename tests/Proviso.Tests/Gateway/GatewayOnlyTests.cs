using System.Net;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Gateway;

public class GatewayOnlyTests
{
    [Fact]
    public async Task GatewayMode_ServesOnlyTheEgressRoutesAndHealth()
    {
        using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:GatewayOnly"] = "true" });
        var client = factory.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/v1/chat/completions", null)).StatusCode);
        // The management API and UI are not mapped (unknown paths answer 401 under the fallback policy, revealing nothing).
        var admin = await factory.ClientAsAsync(global::Proviso.Accounts.Roles.Admin);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/vendors")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/openapi/v1.json")).StatusCode);
        // Metrics are served where the traffic is.
        var metrics = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
    }
}
