using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Benefit.Loyalty.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CapUsageIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_loyalty_activities_PatientId_LocalYear_LocalWeekStart",
                table: "loyalty_activities");

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_activities_cap_usage",
                table: "loyalty_activities",
                columns: new[] { "PatientId", "LocalYear", "Status", "Category", "LocalWeekStart", "LocalDate", "Points" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_loyalty_activities_cap_usage",
                table: "loyalty_activities");

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_activities_PatientId_LocalYear_LocalWeekStart",
                table: "loyalty_activities",
                columns: new[] { "PatientId", "LocalYear", "LocalWeekStart" });
        }
    }
}
