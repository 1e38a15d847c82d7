using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Benefit.Loyalty.Migrations.Postgres
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
                type: "character varying(64)",
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
