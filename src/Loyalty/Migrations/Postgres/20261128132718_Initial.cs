using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Benefit.Loyalty.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "loyalty_accounts",
                columns: table => new
                {
                    PatientId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Balance = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loyalty_accounts", x => x.PatientId);
                });

            migrationBuilder.CreateTable(
                name: "loyalty_activities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PatientId = table.Column<string>(type: "text", nullable: false),
                    Provider = table.Column<string>(type: "text", nullable: false),
                    ExternalEventId = table.Column<string>(type: "text", nullable: false),
                    ActivityType = table.Column<string>(type: "text", nullable: false),
                    Category = table.Column<string>(type: "text", nullable: true),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LocalDate = table.Column<DateOnly>(type: "date", nullable: false),
                    LocalWeekStart = table.Column<DateOnly>(type: "date", nullable: false),
                    LocalYear = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Points = table.Column<int>(type: "integer", nullable: false),
                    RuleVersion = table.Column<string>(type: "text", nullable: true),
                    Reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loyalty_activities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "loyalty_idempotency_keys",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "text", nullable: false),
                    Completed = table.Column<bool>(type: "boolean", nullable: false),
                    ResultJson = table.Column<string>(type: "text", nullable: true),
                    ErrorCode = table.Column<string>(type: "text", nullable: true),
                    ErrorMessage = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loyalty_idempotency_keys", x => new { x.Scope, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "loyalty_reservations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PatientId = table.Column<string>(type: "text", nullable: false),
                    RewardId = table.Column<string>(type: "text", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    Points = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loyalty_reservations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "loyalty_rewards",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    Category = table.Column<string>(type: "text", nullable: false),
                    Partner = table.Column<string>(type: "text", nullable: false),
                    PointCost = table.Column<int>(type: "integer", nullable: false),
                    Stock = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loyalty_rewards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "loyalty_entries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PatientId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Points = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ActivityId = table.Column<long>(type: "bigint", nullable: true),
                    RuleVersion = table.Column<string>(type: "text", nullable: true),
                    ReservationId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReversedEntryId = table.Column<long>(type: "bigint", nullable: true),
                    Shortfall = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    IdempotencyKey = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loyalty_entries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_loyalty_entries_loyalty_activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "loyalty_activities",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "loyalty_lots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PatientId = table.Column<string>(type: "text", nullable: false),
                    SourceEntryId = table.Column<long>(type: "bigint", nullable: false),
                    EarnedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Original = table.Column<int>(type: "integer", nullable: false),
                    Remaining = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loyalty_lots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_loyalty_lots_loyalty_entries_SourceEntryId",
                        column: x => x.SourceEntryId,
                        principalTable: "loyalty_entries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "loyalty_lot_debits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LotId = table.Column<long>(type: "bigint", nullable: false),
                    EntryId = table.Column<long>(type: "bigint", nullable: false),
                    Points = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loyalty_lot_debits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_loyalty_lot_debits_loyalty_entries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "loyalty_entries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_loyalty_lot_debits_loyalty_lots_LotId",
                        column: x => x.LotId,
                        principalTable: "loyalty_lots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_activities_PatientId_LocalYear_LocalWeekStart",
                table: "loyalty_activities",
                columns: new[] { "PatientId", "LocalYear", "LocalWeekStart" });

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_activities_Provider_ExternalEventId",
                table: "loyalty_activities",
                columns: new[] { "Provider", "ExternalEventId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_entries_ActivityId",
                table: "loyalty_entries",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_entries_IdempotencyKey",
                table: "loyalty_entries",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_entries_PatientId_Id",
                table: "loyalty_entries",
                columns: new[] { "PatientId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_entries_ReservationId",
                table: "loyalty_entries",
                column: "ReservationId");

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_entries_ReversedEntryId",
                table: "loyalty_entries",
                column: "ReversedEntryId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_idempotency_keys_CreatedAt",
                table: "loyalty_idempotency_keys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_lot_debits_EntryId",
                table: "loyalty_lot_debits",
                column: "EntryId");

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_lot_debits_LotId",
                table: "loyalty_lot_debits",
                column: "LotId");

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_lots_PatientId_ExpiresAt",
                table: "loyalty_lots",
                columns: new[] { "PatientId", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_lots_SourceEntryId",
                table: "loyalty_lots",
                column: "SourceEntryId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_reservations_PatientId",
                table: "loyalty_reservations",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_loyalty_reservations_Status_ExpiresAt",
                table: "loyalty_reservations",
                columns: new[] { "Status", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "loyalty_accounts");

            migrationBuilder.DropTable(
                name: "loyalty_idempotency_keys");

            migrationBuilder.DropTable(
                name: "loyalty_lot_debits");

            migrationBuilder.DropTable(
                name: "loyalty_reservations");

            migrationBuilder.DropTable(
                name: "loyalty_rewards");

            migrationBuilder.DropTable(
                name: "loyalty_lots");

            migrationBuilder.DropTable(
                name: "loyalty_entries");

            migrationBuilder.DropTable(
                name: "loyalty_activities");
        }
    }
}
