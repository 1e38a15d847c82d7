using Benefit.Api.Audit;
using Benefit.Api.Consent;
using Benefit.Api.Patients;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Data;

/// <summary>The API's own tables. Provider-specific subclasses carry their own migrations.</summary>
public abstract class BenefitDb(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__BenefitMigrations";

    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<CareTeamMember> CareTeamMembers => Set<CareTeamMember>();
    public DbSet<PatientConsent> Consents => Set<PatientConsent>();
    public DbSet<ConsentChange> ConsentChanges => Set<ConsentChange>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC in both providers; SQLite would otherwise hand back Kind=Unspecified.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Patient>(e =>
        {
            e.ToTable("patients");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).HasMaxLength(64);
            e.Property(p => p.FhirServer).HasMaxLength(512);
            e.Property(p => p.FhirPatientId).HasMaxLength(128);
            e.Property(p => p.AgeBand).HasMaxLength(16);
            e.Property(p => p.Sex).HasMaxLength(16);
            e.Property(p => p.SocioEconomicBand).HasMaxLength(16);
            e.Property(p => p.Language).HasMaxLength(8);
            e.HasMany(p => p.CareTeam).WithOne().HasForeignKey(m => m.PatientId);
        });
        b.Entity<CareTeamMember>(e =>
        {
            e.ToTable("care_team_members");
            e.HasKey(m => new { m.PatientId, m.ClinicianId });
            e.Property(m => m.ClinicianId).HasMaxLength(128);
            e.HasIndex(m => m.ClinicianId);
        });
        b.Entity<PatientConsent>(e =>
        {
            e.ToTable("patient_consents");
            e.HasKey(c => c.PatientId);
            e.HasOne<Patient>().WithOne().HasForeignKey<PatientConsent>(c => c.PatientId);
        });
        b.Entity<ConsentChange>(e =>
        {
            e.ToTable("consent_changes");
            e.HasKey(c => c.Id);
            e.HasIndex(c => new { c.PatientId, c.ChangedAt });
            e.Property(c => c.ChangedBy).HasMaxLength(128);
        });
        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(a => a.Id);
            e.Property(a => a.Subject).HasMaxLength(128);
            e.Property(a => a.Role).HasMaxLength(32);
            e.Property(a => a.PatientId).HasMaxLength(64);
            e.Property(a => a.Action).HasMaxLength(128);
            e.Property(a => a.Outcome).HasMaxLength(32);
            e.HasIndex(a => new { a.PatientId, a.At });
            e.HasIndex(a => a.At);
        });
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnly();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // The audit trail and consent history are evidence: they may only grow.
    private void GuardAppendOnly()
    {
        var tampered = ChangeTracker.Entries()
            .FirstOrDefault(e => e.Entity is AuditEntry or ConsentChange
                                 && e.State is EntityState.Modified or EntityState.Deleted);
        if (tampered is not null)
            throw new InvalidOperationException($"{tampered.Entity.GetType().Name} rows are append-only.");
    }
}

public sealed class SqliteBenefitDb(DbContextOptions<SqliteBenefitDb> options) : BenefitDb(options);

public sealed class PostgresBenefitDb(DbContextOptions<PostgresBenefitDb> options) : BenefitDb(options);

internal sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
