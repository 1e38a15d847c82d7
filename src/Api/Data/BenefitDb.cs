using Benefit.Api.Audit;
using Benefit.Api.Consent;
using Benefit.Api.Jobs;
using Benefit.Api.Models;
using Benefit.Api.Observations;
using Benefit.Api.Patients;
using Benefit.Api.Recommendations;
using Benefit.Api.Reviews;
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
    public DbSet<PatientSyncRecord> SyncStates => Set<PatientSyncRecord>();
    public DbSet<PatientPreferencesRecord> Preferences => Set<PatientPreferencesRecord>();
    public DbSet<PatientChoice> Choices => Set<PatientChoice>();
    public DbSet<Impression> Impressions => Set<Impression>();
    public DbSet<ServedListRecord> ServedLists => Set<ServedListRecord>();
    public DbSet<ReviewDecision> ReviewDecisions => Set<ReviewDecision>();
    public DbSet<ModelVersionRecord> ModelVersions => Set<ModelVersionRecord>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();

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
            // One enrolled patient per FHIR record: a second enrolment must not become a copy of someone else's data.
            e.HasIndex(p => new { p.FhirServer, p.FhirPatientId }).IsUnique();
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
            e.Property(a => a.Purpose).HasMaxLength(32);
            e.Property(a => a.TraceId).HasMaxLength(64);
            e.Property(a => a.ClientAddress).HasMaxLength(64);
            e.HasIndex(a => new { a.PatientId, a.At });
            e.HasIndex(a => a.At);
        });
        b.Entity<PatientSyncRecord>(e =>
        {
            e.ToTable("patient_sync_states");
            e.HasKey(x => x.PatientId);
            e.HasOne<Patient>().WithOne().HasForeignKey<PatientSyncRecord>(x => x.PatientId);
        });
        b.Entity<PatientPreferencesRecord>(e =>
        {
            e.ToTable("patient_preferences");
            e.HasKey(x => x.PatientId);
            e.HasOne<Patient>().WithOne().HasForeignKey<PatientPreferencesRecord>(x => x.PatientId);
        });
        b.Entity<PatientChoice>(e =>
        {
            e.ToTable("patient_choices");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.PatientId, x.At });
            e.HasOne<Patient>().WithMany().HasForeignKey(x => x.PatientId);
        });
        b.Entity<Impression>(e =>
        {
            e.ToTable("impressions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.PatientId, x.ServedAt });
            e.HasIndex(x => x.ListId);
        });
        b.Entity<ServedListRecord>(e =>
        {
            e.ToTable("served_lists");
            e.HasKey(x => x.ListId);
            e.Property(x => x.ListId).HasMaxLength(64);
            e.Property(x => x.PatientId).HasMaxLength(64);
            e.Property(x => x.ModelVersion).HasMaxLength(64);
            e.HasIndex(x => new { x.PatientId, x.ServedAt });
            e.HasIndex(x => x.ServedAt);
        });
        b.Entity<ReviewDecision>(e =>
        {
            e.ToTable("review_decisions");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.PatientId, x.At });
            e.HasOne<Patient>().WithMany().HasForeignKey(x => x.PatientId);
        });
        b.Entity<ModelVersionRecord>(e =>
        {
            e.ToTable("model_versions");
            e.HasKey(x => x.Version);
            e.Property(x => x.Version).HasMaxLength(64);
            e.Property(x => x.Status).HasMaxLength(16);
            e.HasIndex(x => x.Status);
        });
        b.Entity<JobRun>(e =>
        {
            e.ToTable("job_runs");
            e.HasKey(x => new { x.Job, x.RunKey });
            e.Property(x => x.Job).HasMaxLength(64);
            e.Property(x => x.RunKey).HasMaxLength(64);
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
