using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Hosting;

namespace Proviso.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ProvisoDbContext"/> on the configured provider, with the audit interceptor.</summary>
    public static IHostApplicationBuilder AddProvisoData(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AuditInterceptor>();
        builder.Services.AddSingleton<ProvisoDbOptions>();
        builder.Services.AddScoped<ICurrentActor, CurrentActor>();
        builder.Services.AddScoped<IDbContextFactory<ProvisoDbContext>, ProvisoDbContextFactory>();
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ProvisoDbContext>>().CreateDbContext());
        builder.Services.AddTransient<DatabaseMigrator>();
        return builder;
    }
}

/// <summary>Builds the provider-specific options once per process.</summary>
public sealed class ProvisoDbOptions
{
    private readonly Lazy<DbContextOptions> _options;

    public ProvisoDbOptions(IOptions<ProvisoOptions> options, AuditInterceptor audit)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        Provider = o.Database.Provider;
        ConnectionString = ResolveConnectionString(o);
        _options = new Lazy<DbContextOptions>(() => Build(Provider, ConnectionString, audit));
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public DbContextOptions Options => _options.Value;

    public ProvisoDbContext Create() => Create(Provider, Options);

    public static ProvisoDbContext Create(DatabaseProvider provider, DbContextOptions options) => provider switch
    {
        DatabaseProvider.Postgres => new PostgresProvisoDbContext((DbContextOptions<PostgresProvisoDbContext>)options),
        _ => new SqliteProvisoDbContext((DbContextOptions<SqliteProvisoDbContext>)options),
    };

    public static string ResolveConnectionString(ProvisoOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Database.Provider == DatabaseProvider.Postgres)
        {
            return string.IsNullOrWhiteSpace(o.Database.ConnectionString)
                ? throw new InvalidOperationException("Proviso:Database:ConnectionString is required when Proviso:Database:Provider is postgres.")
                : o.Database.ConnectionString;
        }
        if (!string.IsNullOrWhiteSpace(o.Database.ConnectionString))
        {
            return o.Database.ConnectionString;
        }
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(o.FullDataDir, "proviso.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public static DbContextOptions Build(DatabaseProvider provider, string connectionString, AuditInterceptor? audit)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var pg = new DbContextOptionsBuilder<PostgresProvisoDbContext>();
            pg.UseNpgsql(connectionString, n => n.MigrationsHistoryTable("__ef_migrations_history"));
            if (audit is not null)
            {
                pg.AddInterceptors(audit);
            }
            return pg.Options;
        }
        var sqlite = new DbContextOptionsBuilder<SqliteProvisoDbContext>();
        sqlite.UseSqlite(connectionString, s => s.MigrationsHistoryTable("__ef_migrations_history"));
        if (audit is not null)
        {
            sqlite.AddInterceptors(audit);
        }
        return sqlite.Options;
    }
}

/// <summary>Creates contexts for the current scope, stamped with the acting user.</summary>
internal sealed class ProvisoDbContextFactory(ProvisoDbOptions options, ICurrentActor actor) : IDbContextFactory<ProvisoDbContext>
{
    public ProvisoDbContext CreateDbContext()
    {
        var db = options.Create();
        db.ActorSource = actor;
        return db;
    }
}

/// <summary>Creates the data directory and applies pending migrations.</summary>
public sealed class DatabaseMigrator(ProvisoDbOptions options, IOptions<ProvisoOptions> settings, ILogger<DatabaseMigrator> logger)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(settings.Value.FullDataDir);
        await using var db = options.Create();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s) on {Provider}: {Migrations}", pending.Count, options.Provider, string.Join(", ", pending));
        }
        await db.Database.MigrateAsync(ct);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging lets readers proceed while one writer commits; it persists in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        return pending;
    }

    public async Task<bool> CanConnectAsync(CancellationToken ct = default)
    {
        await using var db = options.Create();
        return await db.Database.CanConnectAsync(ct);
    }
}
