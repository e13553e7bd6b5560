using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Proviso.Accounts;
using Proviso.Components;
using Proviso.Contracts;
using Proviso.Data;
using Proviso.Demo;
using Proviso.Gateway;
using Proviso.Ledger;
using Proviso.Vendors;
using Scalar.AspNetCore;

using Proviso.Diligence;

namespace Proviso.Hosting;

/// <summary>Composition of the host, shared by <c>proviso serve</c>, the other verbs and the test factory.</summary>
public static class ProvisoHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args, IDictionary<string, string?> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ProvisoHost).Assembly.GetName().Name,
            // Settings and assets ship beside the binary; the working directory stays the user's, so
            // relative paths (files to scan, ./data) mean what they mean in the user's shell.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddProviso();
        return builder;
    }

    public static IHostApplicationBuilder AddProviso(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ProvisoOptions>().BindConfiguration(ProvisoOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
            o.SerializerOptions.MaxDepth = 32;
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Proviso API";
            doc.Info.Description = "Vendor inventory, accounts and API keys. Authenticate with a session cookie or 'Authorization: Bearer pvk_…'.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddHostedService<StartupTasks>();
        // Cookie and antiforgery keys live with the data, so sessions survive restarts and move with the data directory.
        var dataDir = builder.Configuration.GetSection(ProvisoOptions.SectionName).Get<ProvisoOptions>()?.FullDataDir ?? Path.GetFullPath("data");
        services.AddDataProtection().SetApplicationName("Proviso").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys")));
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Components.Widgets.UiScope>();

        builder.AddProvisoData();
        builder.AddAccounts();
        builder.AddVendors();
        builder.AddContracts();
        builder.AddLedger();
        builder.AddGateway();
        builder.AddDiligence();
        return builder;
    }

    public static WebApplication UseProviso(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Word lists, phone metadata and scanners load beside start-up, so the first gateway call is not the slow one.
        _ = Proviso.Privacy.PiiDetector.WarmUpAsync();
        app.UseExceptionHandler();
        app.UseStatusCodePages(async ctx =>
        {
            // Bare status codes from the API (401, 403, 404, 405) get a problem body; pages keep theirs.
            if (AccountsSetup.IsApi(ctx.HttpContext.Request) && !ctx.HttpContext.Response.HasStarted)
            {
                var problems = ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = ctx.HttpContext });
            }
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseAuthentication();
        app.UseMustChangePassword();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes = { [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
        }).AllowAnonymous();
        app.MapGateway();
        if (app.Configuration.GetValue<bool>("Proviso:GatewayOnly"))
        {
            // `proviso gateway`: only the egress routes and health, for scaling the gateway out on its own.
            return app;
        }
        app.MapStaticAssets().AllowAnonymous();
        app.MapOpenApi();
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("Proviso API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapAccountEndpoints();
        app.MapAccountsApi();
        app.MapVendorsApi();
        app.MapContractsApi();
        app.MapLedgerApi();
        app.MapGatewayAdminApi();
        app.MapDiligenceApi();
        app.MapPortal();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().Add(endpoint =>
        {
            // The circuit hub itself is open so the vendor portal (anonymous, reached by a link) can be interactive;
            // pages still authorize through their [Authorize] metadata and AuthorizeRouteView, and services behind them
            // check the portal session on every call.
            if (endpoint is RouteEndpointBuilder route && route.RoutePattern.RawText?.StartsWith("/_blazor", StringComparison.Ordinal) == true)
            {
                endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute());
            }
        });
        return app;
    }
}

internal sealed class DatabaseHealthCheck(DatabaseMigrator database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("Database answers.")
                : HealthCheckResult.Unhealthy("Database does not answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Database does not answer.", ex);
        }
    }
}
