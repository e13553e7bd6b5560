using Microsoft.Extensions.Options;
using Proviso.Accounts;
using Proviso.Data;
using Proviso.Demo;

namespace Proviso.Hosting;

/// <summary>Runs before the server listens: migrations (when enabled), the first administrator, the demo workspace.</summary>
internal sealed class StartupTasks(IServiceProvider services, IOptions<ProvisoOptions> options, ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var o = options.Value;
        if (o.Database.MigrateOnStartup)
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
        await scope.ServiceProvider.GetRequiredService<Ledger.LedgerService>().InitializeAsync(cancellationToken);
        Diligence.DiligenceEndpoints.Validate(o.Diligence);
        await scope.ServiceProvider.GetRequiredService<Diligence.TemplateService>().EnsureBuiltInAsync(cancellationToken);
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var oneTime = await accounts.EnsureAdminAsync();
        if (oneTime is not null)
        {
            AnnounceAdmin(o.Admin.Email, oneTime);
        }
        if (o.Demo.Enabled)
        {
            var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
            var seeded = await seeder.SeedAsync(cancellationToken);
            await seeder.WireGatewayAsync(cancellationToken);
            if (seeded > 0)
            {
                logger.LogInformation("Demo workspace: seeded {Count} vendors", seeded);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void AnnounceAdmin(string email, string password)
    {
        // Printed once on the console, not logged: log files are kept and shipped; the console is the operator's.
        var line = new string('=', 72);
        Console.WriteLine(line);
        Console.WriteLine(" Proviso created the first administrator account.");
        Console.WriteLine($"   e-mail:   {email}");
        Console.WriteLine($"   password: {password}");
        Console.WriteLine(" This one-time password is shown only now; you choose your own at first sign-in.");
        Console.WriteLine(line);
    }
}
