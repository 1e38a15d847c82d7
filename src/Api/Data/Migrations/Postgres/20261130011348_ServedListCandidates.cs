using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Benefit.Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ServedListCandidates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CandidatesJson",
                table: "served_lists",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CandidatesJson",
                table: "served_lists");
        }
    }
}
