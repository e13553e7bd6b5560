using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Proviso.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GatewayCredentials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
