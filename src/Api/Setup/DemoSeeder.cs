using Benefit.Api.Catalog;
using Benefit.Api.Consent;
using Benefit.Api.Data;
using Benefit.Api.Patients;
using Benefit.Fhir;
using Benefit.Fhir.Sync;
using Benefit.Recommender.Cohort;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Setup;

/// <summary>Seeds the demo roster once; a database that already has patients is left as it is.</summary>
public sealed class DemoSeeder(BenefitDb db, IOptions<CatalogOptions> catalog, IOptions<DemoOptions> demo, IOptions<FhirSourceOptions> fhir,
    FhirSyncService sync, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        if (!demo.Value.Seed || await db.Patients.AnyAsync(ct))
            return;

        var path = catalog.Value.Resolve(Path.Combine("demo", "patients.json"));
        var roster = DemoBundles.ReadRoster(path);

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var p in roster)
        {
            db.Patients.Add(new Patient
            {
                Id = p.Id, FhirServer = FhirSourceOptions.EmbeddedServerName, FhirPatientId = p.FhirPatientId, AgeBand = p.AgeBand, Sex = p.Sex,
                SocioEconomicBand = p.SocioEconomicBand, Language = p.Language, EnrolledAt = now,
                CareTeam = [new CareTeamMember { PatientId = p.Id, ClinicianId = p.Clinician }],
            });
            // Demo patients have said yes to both, so the walk-through shows personalised suggestions.
            db.Consents.Add(new PatientConsent { PatientId = p.Id, Personalisation = true, Training = true, UpdatedAt = now });
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded {Count} demo patients from {Path}", roster.Count, path);
    }

    /// <summary>With no FHIR server configured, reads the shipped bundles of patients that were never synced, so the first start ranks at once.</summary>
    public async Task SyncEmbeddedPatientsAsync(CancellationToken ct)
    {
        if (fhir.Value.UsesServer)
            return;
        var pending = await db.Patients.AsNoTracking()
            .Where(p => p.FhirServer == FhirSourceOptions.EmbeddedServerName && !db.SyncStates.Any(s => s.PatientId == p.Id))
            .Select(p => new PatientLink(p.Id, p.FhirServer, p.FhirPatientId))
            .ToListAsync(ct);
        if (pending.Count == 0)
            return;
        var summary = await sync.SyncManyAsync(pending, ct);
        logger.LogInformation("Read embedded FHIR bundles of {Patients} patients: {Complete} complete, {Failed} failed",
            summary.Patients, summary.Complete, summary.Failed);
    }
}
