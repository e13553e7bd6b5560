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
        builder.Services.AddSingleton(new PiiDetector());
        // Pseudonyms live for the request (scope per call); ten minutes covers the slowest streamed answer.
        builder.Services.AddSingleton<IPseudonymVault>(sp => new InMemoryVault(ttl: TimeSpan.FromMinutes(10), time: sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new Anonymizer(AnonymizerKeys.Random(), sp.GetRequiredService<IPseudonymVault>()));
        builder.Services.AddSingleton<PayloadPseudonymizer>();
        builder.Services.AddSingleton<GatewayHandler>();
        return builder;
    }

    /// <summary>The OpenAI-compatible egress routes. They authenticate with gateway keys, not user sessions.</summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").AllowAnonymous().ExcludeFromDescription();
        foreach (var operation in new[] { "chat/completions", "completions", "embeddings", "responses" })
        {
            v1.MapPost("/" + operation, (HttpContext ctx, GatewayHandler handler) => handler.HandleAsync(ctx, operation));
        }
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

        var admin = app.MapGroup("/api/gateway").WithTags("Gateway").RequireAuthorization(Permissions.GatewayManage);
        admin.MapGet("/applications", async (ProvisoDbContext db, CancellationToken ct) =>
            TypedResults.Ok((await db.GatewayApplications.AsNoTracking().ToListAsync(ct)).OrderBy(a => a.Name).Select(View).ToList()))
            .WithName("ListGatewayApplications");
        admin.MapPost("/applications", async Task<Results<Created<CreatedGatewayApplication>, ValidationProblem>> (GatewayApplicationInput input, ProvisoDbContext db,
            GatewayCatalog catalog, AuditTrail audit, TimeProvider time, CancellationToken ct) =>
        {
            var errors = new ValidationErrors();
            var name = errors.Text("name", input.Name, 100, required: true, label: "Name");
            var ids = input.ServiceIds ?? [];
            var known = await db.AiServices.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
            foreach (var missing in ids.Except(known))
            {
                errors.Add("serviceIds", $"Vendor service {missing} does not exist.");
            }
            if (input.RequestsPerMinute is < 1 or > 1_000_000 || input.DailyQuota is < 1 or > 100_000_000)
            {
                errors.Add("limits", "Limits must be positive.");
            }
            if (errors.Any)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }
            var secret = GatewayApplication.NewSecret();
            var application = new GatewayApplication
            {
                Name = name!,
                Hint = secret[..10],
                KeyHash = GatewayApplication.HashOf(secret),
                ServiceIds = [.. ids.Distinct()],
                RequestsPerMinute = input.RequestsPerMinute ?? 600,
                DailyQuota = input.DailyQuota ?? 100_000,
                CreatedAt = time.GetUtcNow(),
                CreatedBy = db.Actor,
            };
            db.GatewayApplications.Add(application);
            await db.SaveChangesAsync(ct);
            catalog.Invalidate();
            await audit.RecordAsync("gateway-application.created", "gateway-application", application.Id.ToString(), null,
                new Dictionary<string, object?> { ["name"] = application.Name, ["services"] = application.ServiceIds.Count }, ct);
            return TypedResults.Created($"/api/gateway/applications/{application.Id}", new CreatedGatewayApplication(View(application), secret));
        }).WithName("CreateGatewayApplication").WithSummary("Create an application key for the gateway; the key is in this response only.");
        admin.MapPost("/applications/{id:guid}/revoke", async Task<Results<Ok<GatewayApplicationView>, ProblemHttpResult>> (Guid id, ProvisoDbContext db,
            GatewayCatalog catalog, AuditTrail audit, TimeProvider time, CancellationToken ct) =>
        {
            var application = await db.GatewayApplications.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (application is null)
            {
                return OutcomeResults.NotFound($"Gateway application {id} does not exist.");
            }
            if (application.RevokedAt is null)
            {
                application.RevokedAt = time.GetUtcNow();
                await db.SaveChangesAsync(ct);
                catalog.Invalidate();
                await audit.RecordAsync("gateway-application.revoked", "gateway-application", id.ToString(), null, null, ct);
            }
            return TypedResults.Ok(View(application));
        }).WithName("RevokeGatewayApplication");
        admin.MapPut("/services/{serviceId:guid}/policy", async Task<Results<Ok<GatewayPolicy>, ValidationProblem, ProblemHttpResult>> (Guid serviceId, GatewayPolicy policy,
            ProvisoDbContext db, GatewayCatalog catalog, AuditTrail audit, CancellationToken ct) =>
        {
            var vendor = await db.Vendors.Include(v => v.Services).FirstOrDefaultAsync(v => v.Services.Any(s => s.Id == serviceId), ct);
            var service = vendor?.Services.First(s => s.Id == serviceId);
            if (vendor is null || service is null)
            {
                return OutcomeResults.NotFound($"Vendor service {serviceId} does not exist.");
            }
            var errors = new ValidationErrors();
            if (policy.Enabled && policy.Models.Count == 0)
            {
                errors.Add("models", "Name at least one model callers will use.");
            }
            if (policy.UpstreamBaseUrl is { } url && !service.Endpoints.Any(e => url.StartsWith(e.Url.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add("upstreamBaseUrl", "The upstream must be one of the service's declared endpoints.");
            }
            var taken = await db.AiServices.AsNoTracking().Where(s => s.Id != serviceId).ToListAsync(ct);
            foreach (var model in policy.Models.Where(m => taken.Any(t => t.Gateway.Enabled && t.Gateway.Models.Contains(m))))
            {
                errors.Add("models", $"Model '{model}' already routes to another service.");
            }
            if (errors.Any)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }
            service.Gateway = policy;
            vendor.Refresh();
            await db.SaveChangesAsync(ct);
            catalog.Invalidate();
            await audit.RecordAsync("gateway-policy.updated", "vendor-service", serviceId.ToString(), vendor.Name, new Dictionary<string, object?>
            {
                ["enabled"] = policy.Enabled,
                ["models"] = policy.Models.ToArray(),
                ["blocked"] = policy.Categories.Where(c => c.Action == CategoryAction.Block).Select(c => Taxonomy.Key(c.Category)).ToArray(),
            }, ct);
            return TypedResults.Ok(policy);
        }).WithName("SetGatewayPolicy").WithSummary("Set a vendor service's gateway policy: models, upstream, regions, contract end, per-category actions.");
        return app;
    }

    private static GatewayApplicationView View(GatewayApplication a) =>
        new(a.Id, a.Name, a.Hint, a.ServiceIds, a.RequestsPerMinute, a.DailyQuota, a.CreatedAt, a.RevokedAt);
}
