using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Benefit.Loyalty.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddActivityIntervention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "InterventionId",
                table: "loyalty_activities",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "InterventionId",
                table: "loyalty_activities");
        }
    }
}
