using OpenTelemetry.Metrics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Proviso.Accounts;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Privacy;
using Proviso.Privacy.Operators;
using Proviso.Vendors;

namespace Proviso.Gateway;

public sealed record GatewayApplicationInput(string? Name, List<Guid>? ServiceIds, int? RequestsPerMinute, int? DailyQuota);

public sealed record GatewayApplicationView(Guid Id, string Name, string Hint, IReadOnlyList<Guid> ServiceIds, int RequestsPerMinute, int DailyQuota,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedGatewayApplication(GatewayApplicationView Application, string Key);

public static class GatewayEndpoints
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration("Proviso:Gateway");
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<GatewayCatalog>();
        builder.Services.AddSingleton<GatewayLimits>();
        builder.Services.AddSingleton(sp =>
        {
            var privacy = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProvisoOptions>>().Value.Privacy;
            return new PiiDetector(new DetectorOptions
            {
                Custom = privacy.CustomRecognizers,
                AllowList = new HashSet<string>(privacy.AllowList, StringComparer.OrdinalIgnoreCase),
                RepeatValues = privacy.RepeatValues,
            });
        });
        builder.Services.AddSingleton<IPseudonymVault>(sp =>
        {
            var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProvisoOptions>>().Value;
            var timeProvider = sp.GetRequiredService<TimeProvider>();
            if (string.Equals(o.Privacy.Vault, "database", StringComparison.OrdinalIgnoreCase))
            {
                return new DbPseudonymVault(sp.GetRequiredService<ProvisoDbOptions>(), sp.GetRequiredService<VaultKey>().Bytes, o.Privacy.VaultTtl, timeProvider);
            }
            // Conversations' pseudonyms (a call's own never reach the vault), for this instance only.
            return new InMemoryVault(ttl: o.Privacy.VaultTtl, time: timeProvider);
        });
        // One vault key per process, read (or created) once: it seals the database vault and keys the ledger's conversation tags.
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProvisoOptions>>().Value;
            return new VaultKey(DbPseudonymVault.LoadKey(o.Privacy.VaultKey, Path.Combine(o.FullDataDir, "vault.key")));
        });
        builder.Services.AddSingleton(sp => new ConversationTags(sp.GetRequiredService<VaultKey>().Bytes));
        builder.Services.AddHostedService<VaultSweepService>();
        builder.Services.AddSingleton(sp => new Anonymizer(AnonymizerKeys.Random(), sp.GetRequiredService<IPseudonymVault>()));
        builder.Services.AddSingleton<PayloadPseudonymizer>();
        builder.Services.AddSingleton<GatewayHandler>();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(GatewayMetrics.MeterName).AddPrometheusExporter());
        builder.Services.AddScoped<GatewayAdmin>();
        return builder;
    }

    /// <summary>The OpenAI-compatible egress routes. They authenticate with gateway keys, not user sessions.</summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        // Prometheus scrape endpoint for the gateway's metrics, on gateway-only instances too: a signed-in gateway
        // manager or an API key with the gateway:manage scope (Prometheus: `authorization: { credentials: pvk_… }`).
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Permissions.GatewayManage);
        var v1 = app.MapGroup("/v1").AllowAnonymous().ExcludeFromDescription();
        foreach (var operation in new[] { "chat/completions", "completions", "embeddings", "responses" })
        {
            v1.MapPost("/" + operation, (HttpContext ctx, GatewayHandler handler) => handler.HandleAsync(ctx, operation));
        }
        // Generic JSON/HTTP routes: /gateway/{model}/{path} goes to the service's upstream base URL + path.
        app.MapMethods("/gateway/{model}/{**path}", ["GET", "POST", "PUT", "PATCH", "DELETE"],
            (HttpContext ctx, GatewayHandler handler, string model, string? path) => handler.HandleAsync(ctx, path ?? "", model))
            .AllowAnonymous().ExcludeFromDescription();
        v1.MapGet("/models", async (HttpContext ctx, GatewayCatalog catalog) =>
        {
            var header = ctx.Request.Headers.Authorization.ToString();
            var application = header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > 7
                ? await catalog.FindApplicationAsync(header[7..].Trim(), ctx.RequestAborted)
                : null;
            if (application is null)
            {
                return Results.Problem(statusCode: 401, title: "Invalid gateway key");
            }
            var routes = await catalog.RoutesAsync(ctx.RequestAborted);
            return Results.Json(new
            {
                @object = "list",
                data = routes.Where(r => application.ServiceIds.Contains(r.ServiceId))
                    .SelectMany(r => r.Policy.Models.Select(m => new { id = m, @object = "model", owned_by = r.VendorName })),
            });
        });

        return app;
    }

    /// <summary>Application keys, policies and activity for administrators.</summary>
    public static IEndpointRouteBuilder MapGatewayAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/gateway").WithTags("Gateway").RequireAuthorization(Permissions.GatewayManage);
        admin.MapGet("/applications", async (GatewayAdmin g, CancellationToken ct) => TypedResults.Ok(await g.ApplicationsAsync(ct)))
            .WithName("ListGatewayApplications");
        admin.MapPost("/applications", async (GatewayApplicationInput input, GatewayAdmin g, CancellationToken ct) =>
            (await g.CreateApplicationAsync(input, ct)).ToCreated(a => $"/api/gateway/applications/{a.Application.Id}"))
            .WithName("CreateGatewayApplication").WithSummary("Create an application key for the gateway; the key is in this response only.");
        admin.MapPost("/applications/{id:guid}/revoke", async (Guid id, GatewayAdmin g, CancellationToken ct) => (await g.RevokeAsync(id, ct)).ToHttp())
            .WithName("RevokeGatewayApplication").WithSummary("Revoke an application key at once.");
        admin.MapPut("/services/{serviceId:guid}/policy", async (Guid serviceId, GatewayPolicy policy, GatewayAdmin g, CancellationToken ct) =>
            (await g.SetPolicyAsync(serviceId, policy, ct)).ToHttp())
            .WithName("SetGatewayPolicy").WithSummary("Set a vendor service's gateway policy: models, upstream, regions, contract end, per-category actions.");
        admin.MapGet("/overview", async (GatewayAdmin g, CancellationToken ct, int days = 7) => TypedResults.Ok(await g.OverviewAsync(Math.Clamp(days, 1, 90), ct)))
            .WithName("GetGatewayOverview").WithSummary("Calls per vendor and application, categories shared and the latest blocked requests.");
        return app;
    }

}
