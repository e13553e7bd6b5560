using Npgsql;
using Proviso.Hosting;

namespace Proviso.Tests.Infrastructure;

/// <summary>
/// Storage tests run on SQLite always and on PostgreSQL whenever PROVISO_TEST_POSTGRES holds a
/// connection string to a server where the user may create databases (CI sets it).
/// </summary>
public static class TestDatabase
{
    public const string PostgresVariable = "PROVISO_TEST_POSTGRES";

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    public static TheoryData<DatabaseProvider> Providers
    {
        get
        {
            var data = new TheoryData<DatabaseProvider> { DatabaseProvider.Sqlite };
            if (PostgresServer is not null)
            {
                data.Add(DatabaseProvider.Postgres);
            }
            return data;
        }
    }

    /// <summary>Creates an empty PostgreSQL database and returns its connection string.</summary>
    public static string CreatePostgresDatabase()
    {
        var server = PostgresServer ?? throw new InvalidOperationException($"{PostgresVariable} is not set.");
        var name = "proviso_test_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new NpgsqlConnection(server))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ToString();
    }

    public static void DropPostgresDatabase(string connectionString)
    {
        var server = PostgresServer;
        if (server is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using var conn = new NpgsqlConnection(server);
        conn.Open();
        using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        cmd.ExecuteNonQuery();
    }

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "proviso-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
