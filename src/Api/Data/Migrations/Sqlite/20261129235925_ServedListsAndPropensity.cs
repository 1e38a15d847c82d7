using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Benefit.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServedListsAndPropensity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Explored",
                table: "impressions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "Propensity",
                table: "impressions",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.CreateTable(
                name: "served_lists",
                columns: table => new
                {
                    ListId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ServedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ModelVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Personalised = table.Column<bool>(type: "INTEGER", nullable: false),
                    ExplorationShare = table.Column<double>(type: "REAL", nullable: false),
                    ContextJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_served_lists", x => x.ListId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_served_lists_PatientId_ServedAt",
                table: "served_lists",
                columns: new[] { "PatientId", "ServedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_served_lists_ServedAt",
                table: "served_lists",
                column: "ServedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "served_lists");

            migrationBuilder.DropColumn(
                name: "Explored",
                table: "impressions");

            migrationBuilder.DropColumn(
                name: "Propensity",
                table: "impressions");
        }
    }
}
