using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Proviso.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Ledger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ledger_checkpoints",
                columns: table => new
                {
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    root_hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_checkpoints", x => x.size);
                });

            migrationBuilder.CreateTable(
                name: "ledger_entries",
                columns: table => new
                {
                    idx = table.Column<long>(type: "INTEGER", nullable: false),
                    leaf_hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    payload = table.Column<byte[]>(type: "BLOB", nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    vendor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    time = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_entries", x => x.idx);
                });

            migrationBuilder.CreateTable(
                name: "ledger_keys",
                columns: table => new
                {
                    Verifier = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RetiredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_keys", x => x.Verifier);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ledger_entries_time",
                table: "ledger_entries",
                column: "time");

            migrationBuilder.CreateIndex(
                name: "IX_ledger_entries_vendor",
                table: "ledger_entries",
                column: "vendor");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ledger_checkpoints");

            migrationBuilder.DropTable(
                name: "ledger_entries");

            migrationBuilder.DropTable(
                name: "ledger_keys");
        }
    }
}
