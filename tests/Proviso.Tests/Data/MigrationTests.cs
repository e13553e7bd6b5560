using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Proviso.Cli;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Data;

public class MigrationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Migrations_OnEmptyDatabase_MatchTheModelExactly(DatabaseProvider provider)
    {
        var connection = provider == DatabaseProvider.Postgres ? TestDatabase.CreatePostgresDatabase()
            : $"Data Source={Path.Combine(TestDatabase.NewTempDir(), "m.db")}";
        try
        {
            await using var db = ProvisoDbOptions.Create(provider, ProvisoDbOptions.Build(provider, connection, null));
            Assert.NotEmpty(db.Database.GetMigrations());
            await db.Database.MigrateAsync();

            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration captures: add a migration for both providers.");
            db.Vendors.Add(new Vendor { Name = "Probe" }.Also(v => v.Refresh()));
            await db.SaveChangesAsync();
            Assert.Equal(1, await db.Vendors.CountAsync(v => v.NormalizedName == "PROBE"));
        }
        finally
        {
            if (provider == DatabaseProvider.Postgres)
            {
                TestDatabase.DropPostgresDatabase(connection);
            }
        }
    }

    [Fact]
    public async Task MigrateVerb_CreatesTheDatabaseInTheDataDir_AndIsIdempotent()
    {
        var dir = Path.Combine(TestDatabase.NewTempDir(), "nested", "data");

        var first = await ProvisoCli.RunAsync(["migrate", "--data-dir", dir]);
        var second = await ProvisoCli.RunAsync(["migrate", "--data-dir", dir]);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.True(File.Exists(Path.Combine(dir, "proviso.db")));
    }

    [Fact]
    public async Task AuditStamps_ComeFromTheInjectedClock_AndCreatedIsNeverRewritten()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var connection = $"Data Source={Path.Combine(TestDatabase.NewTempDir(), "a.db")}";
        var options = ProvisoDbOptions.Build(DatabaseProvider.Sqlite, connection, new AuditInterceptor(clock));
        await using (var db = ProvisoDbOptions.Create(DatabaseProvider.Sqlite, options))
        {
            await db.Database.MigrateAsync();
            db.Actor = "alice@example.com";
            db.Vendors.Add(new Vendor { Name = "Clocked" }.Also(v => v.Refresh()));
            await db.SaveChangesAsync();
        }
        clock.Now = clock.Now.AddDays(3);
        await using (var db = ProvisoDbOptions.Create(DatabaseProvider.Sqlite, options))
        {
            db.Actor = "bob@example.com";
            var v = await db.Vendors.SingleAsync();
            v.Owner = "Bob";
            v.CreatedAt = DateTimeOffset.MinValue; // an attempt to rewrite history is ignored
            v.Refresh();
            await db.SaveChangesAsync();
        }
        await using (var db = ProvisoDbOptions.Create(DatabaseProvider.Sqlite, options))
        {
            var v = await db.Vendors.SingleAsync();
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), v.CreatedAt);
            Assert.Equal("alice@example.com", v.CreatedBy);
            Assert.Equal(new DateTimeOffset(2026, 1, 5, 3, 4, 5, TimeSpan.Zero), v.ModifiedAt);
            Assert.Equal("bob@example.com", v.ModifiedBy);
        }
    }
}

public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

internal static class ObjectExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
