using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Benefit.Api.Data.Migrations.Sqlite
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
                type: "TEXT",
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
