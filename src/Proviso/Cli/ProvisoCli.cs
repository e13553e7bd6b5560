using System.CommandLine;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Vendors;

namespace Proviso.Cli;

/// <summary>
/// The <c>proviso</c> command line. <c>serve</c> is the default verb. Unknown options pass through to
/// the ASP.NET Core host, so standard host switches (<c>--environment</c>, <c>--contentRoot</c>) keep working.
/// </summary>
public static class ProvisoCli
{
    private static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Directory for the SQLite database and encrypted files (default ./data).",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, e.g. http://127.0.0.1:5299 (default http://localhost:5000)." };
        var demo = new Option<bool>("--demo") { Description = "Seed a demo workspace on an empty database." };

        var root = new RootCommand("Proviso holds AI vendors to what their contracts promise.") { TreatUnmatchedTokensAsErrors = false };
        root.Options.Add(DataDir);
        root.Options.Add(urls);
        root.Options.Add(demo);

        var serve = new Command("serve", "Start the web UI, REST API and gateway (the default verb).") { TreatUnmatchedTokensAsErrors = false };
        serve.Options.Add(urls);
        serve.Options.Add(demo);
        Func<ParseResult, CancellationToken, Task<int>> serveAction = (parse, ct) => ServeAsync(parse, parse.GetValue(urls), parse.GetValue(demo), ct);
        root.SetAction(serveAction);
        serve.SetAction(serveAction);
        root.Subcommands.Add(serve);

        var gateway = new Command("gateway", "Run only the AI egress gateway (/v1/…) and /health, to scale it out behind a load balancer.") { TreatUnmatchedTokensAsErrors = false };
        gateway.Options.Add(urls);
        gateway.SetAction((parse, ct) =>
        {
            return ServeAsync(parse, parse.GetValue(urls), false, ct, gatewayOnly: true);
        });
        root.Subcommands.Add(gateway);

        var migrate = new Command("migrate", "Apply database migrations and exit.");
        migrate.SetAction(MigrateAsync);
        root.Subcommands.Add(migrate);

        root.Subcommands.Add(ImportCommand());
        root.Subcommands.Add(ExportCommand());
        root.Subcommands.Add(LedgerCommands.Create(WithServicesAsync));
        root.Subcommands.Add(ScanCommand.Create());
        foreach (var command in PrivacyCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    private static async Task<int> ServeAsync(ParseResult parse, string? urls, bool demo, CancellationToken ct, bool gatewayOnly = false)
    {
        var overrides = Overrides(parse);
        if (gatewayOnly)
        {
            overrides["Proviso:GatewayOnly"] = "true";
        }
        if (demo)
        {
            overrides["Proviso:Demo:Enabled"] = "true";
        }
        var builder = ProvisoHost.CreateBuilder([.. parse.UnmatchedTokens], overrides);
        if (!string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls(urls);
        }
        var app = builder.Build();
        app.UseProviso();
        await app.RunAsync(ct);
        return 0;
    }

    private static async Task<int> MigrateAsync(ParseResult parse, CancellationToken ct) =>
        await WithServicesAsync(parse, async services =>
        {
            var applied = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            Console.WriteLine(applied.Count == 0 ? "Database is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return 0;
        });

    private static Command ImportCommand()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV or .xlsx file, one row per vendor service." };
        var mode = new Option<ImportMode>("--mode") { Description = "AllOrNothing (default) or ValidOnly.", DefaultValueFactory = _ => ImportMode.AllOrNothing };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the file and print the report without saving." };
        var command = new Command("import", "Import vendors from CSV or Excel and print a per-row report.") { file, mode, dryRun };
        command.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var info = parse.GetValue(file)!;
            var format = VendorTable.FormatFromFileName(info.Name);
            if (!info.Exists || format is null)
            {
                return Fail(info.Exists ? $"{info.Name}: not a .csv or .xlsx file" : $"{info.FullName}: no such file");
            }
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var limits = services.GetRequiredService<IOptions<ProvisoOptions>>().Value.Import;
            await using var stream = info.OpenRead();
            var report = await VendorEndpoints.ImportFileAsync(services.GetRequiredService<VendorTransfer>(), stream, format.Value,
                parse.GetValue(mode), parse.GetValue(dryRun), limits.MaxRows, ct);
            foreach (var error in report.FileErrors)
            {
                Console.Error.WriteLine($"{info.Name}: {error}");
            }
            foreach (var row in report.Rows.Where(r => !r.Ok))
            {
                Console.Error.WriteLine($"{info.Name}:{row.Line}: {string.Join(" ", row.Errors)}");
            }
            Console.WriteLine(report.Committed
                ? $"Imported {report.VendorsCreated} vendor(s) with {report.ServicesCreated} service(s); {report.RowsRejected} row(s) rejected."
                : $"Nothing saved: {report.RowsRead} row(s) read, {report.RowsRejected} rejected{(report.DryRun ? " (dry run)" : "")}.");
            return report.HasErrors ? 1 : 0;
        }));
        return command;
    }

    private static Command ExportCommand()
    {
        var output = new Option<FileInfo>("--output", "-o") { Description = "File to write (.csv or .xlsx).", Required = true };
        var archived = new Option<bool>("--include-archived") { Description = "Include archived vendors." };
        var command = new Command("export", "Export the vendor inventory to CSV or Excel.") { output, archived };
        command.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var info = parse.GetValue(output)!;
            var format = VendorTable.FormatFromFileName(info.Name);
            if (format is null)
            {
                return Fail($"{info.Name}: use a .csv or .xlsx file name");
            }
            var rows = await services.GetRequiredService<VendorTransfer>().ExportRowsAsync(new VendorQuery { IncludeArchived = parse.GetValue(archived) }, ct);
            // Written beside the target and moved into place, so a failure never leaves half a file.
            var temp = info.FullName + ".tmp";
            await using (var stream = File.Create(temp))
            {
                if (format == TableFormat.Xlsx)
                {
                    VendorTable.WriteXlsx(stream, "Vendors", VendorTransfer.Columns, rows);
                }
                else
                {
                    VendorTable.WriteCsv(stream, VendorTransfer.Columns, rows);
                }
            }
            File.Move(temp, info.FullName, overwrite: true);
            Console.WriteLine($"Wrote {rows.Count} row(s) to {info.FullName}");
            return 0;
        }));
        return command;
    }

    private static async Task<int> WithServicesAsync(ParseResult parse, Func<IServiceProvider, Task<int>> work)
    {
        try
        {
            var builder = ProvisoHost.CreateBuilder([.. parse.UnmatchedTokens], Overrides(parse));
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            await using var app = builder.Build();
            await using var scope = app.Services.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException
            or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or Ledger.LedgerException or FormatException)
        {
            return Fail(ex.Message);
        }
    }

    private static Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(DataDir) is { Length: > 0 } dir)
        {
            overrides["Proviso:DataDir"] = dir;
        }
        return overrides;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"proviso: {message}");
        return 1;
    }
}
