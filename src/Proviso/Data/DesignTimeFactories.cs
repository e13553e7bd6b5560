using Microsoft.EntityFrameworkCore.Design;
using Proviso.Hosting;

namespace Proviso.Data;

// `dotnet ef migrations add X --context SqliteProvisoDbContext -o Data/Migrations/Sqlite` (and the
// Postgres twin) use these; generating migrations needs no running database.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteProvisoDbContext>
{
    public SqliteProvisoDbContext CreateDbContext(string[] args) =>
        (SqliteProvisoDbContext)ProvisoDbOptions.Create(DatabaseProvider.Sqlite,
            ProvisoDbOptions.Build(DatabaseProvider.Sqlite, "Data Source=design.db", null));
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresProvisoDbContext>
{
    public PostgresProvisoDbContext CreateDbContext(string[] args) =>
        (PostgresProvisoDbContext)ProvisoDbOptions.Create(DatabaseProvider.Postgres,
            ProvisoDbOptions.Build(DatabaseProvider.Postgres, "Host=localhost;Database=proviso_design", null));
}
