using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Redemptions;
using Benefit.Loyalty.Rewards;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Benefit.Loyalty.Persistence;

/// <summary>The loyalty tables (prefixed <c>loyalty_</c>); each provider has a derived context that owns its migrations.</summary>
public abstract class LoyaltyDb(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__LoyaltyMigrations";

    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<LedgerEntry> Entries => Set<LedgerEntry>();
    public DbSet<PointLot> Lots => Set<PointLot>();
    public DbSet<LotDebit> LotDebits => Set<LotDebit>();
    public DbSet<ActivityEvent> Activities => Set<ActivityEvent>();
    public DbSet<RewardItem> Rewards => Set<RewardItem>();
    public DbSet<Reservation> Reservations => Set<Reservation>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    /// <summary>True on PostgreSQL, where writers lock the account row; SQLite serialises writers with BEGIN IMMEDIATE.</summary>
    public abstract bool LocksRows { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite hands DateTime back as Unspecified; every instant here is UTC.
        builder.Properties<DateTime>().HaveConversion<UtcConverter>();
        builder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Account>(e =>
        {
            e.ToTable("loyalty_accounts");
            e.HasKey(a => a.PatientId);
            e.Property(a => a.PatientId).HasMaxLength(128);
        });
        model.Entity<LedgerEntry>(e =>
        {
            e.ToTable("loyalty_entries");
            e.Property(x => x.PatientId).HasMaxLength(128);
            e.HasIndex(x => new { x.PatientId, x.Id });
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            e.HasIndex(x => x.ReservationId);
            e.HasIndex(x => x.ReversedEntryId).IsUnique();
            e.HasOne(x => x.Activity).WithMany().HasForeignKey(x => x.ActivityId);
        });
        model.Entity<PointLot>(e =>
        {
            e.ToTable("loyalty_lots");
            e.HasIndex(x => new { x.PatientId, x.ExpiresAt });
            e.HasIndex(x => x.SourceEntryId).IsUnique();
            e.HasOne(x => x.SourceEntry).WithMany().HasForeignKey(x => x.SourceEntryId);
        });
        model.Entity<LotDebit>(e =>
        {
            e.ToTable("loyalty_lot_debits");
            e.HasIndex(x => x.EntryId);
            e.HasOne<PointLot>().WithMany().HasForeignKey(x => x.LotId);
            e.HasOne(x => x.Entry).WithMany().HasForeignKey(x => x.EntryId);
        });
        model.Entity<ActivityEvent>(e =>
        {
            e.ToTable("loyalty_activities");
            e.Property(x => x.InterventionId).HasMaxLength(64);
            e.HasIndex(x => new { x.Provider, x.ExternalEventId }).IsUnique();
            // Covers the cap sums (day, week, year per patient and category), so pricing reads no table rows.
            e.HasIndex(x => new { x.PatientId, x.LocalYear, x.Status, x.Category, x.LocalWeekStart, x.LocalDate, x.Points })
                .HasDatabaseName("IX_loyalty_activities_cap_usage");
        });
        model.Entity<RewardItem>(e => e.ToTable("loyalty_rewards"));
        model.Entity<Reservation>(e =>
        {
            e.ToTable("loyalty_reservations");
            e.HasIndex(x => new { x.Status, x.ExpiresAt });
            e.HasIndex(x => x.PatientId);
        });
        model.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("loyalty_idempotency_keys");
            e.HasKey(x => new { x.Scope, x.Key });
            e.Property(x => x.Scope).HasMaxLength(200);
            e.Property(x => x.Key).HasMaxLength(200);
            e.HasIndex(x => x.CreatedAt);
        });
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
