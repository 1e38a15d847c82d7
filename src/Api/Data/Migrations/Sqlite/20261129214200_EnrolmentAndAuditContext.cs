using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Benefit.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EnrolmentAndAuditContext : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClientAddress",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Purpose",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TraceId",
                table: "audit_entries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_patients_FhirServer_FhirPatientId",
                table: "patients",
                columns: new[] { "FhirServer", "FhirPatientId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_patients_FhirServer_FhirPatientId",
                table: "patients");

            migrationBuilder.DropColumn(
                name: "ClientAddress",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "Purpose",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "TraceId",
                table: "audit_entries");
        }
    }
}
