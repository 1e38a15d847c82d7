using System.Text.Json;
using Benefit.Api.Catalog;
using Benefit.Api.Consent;
using Benefit.Api.Data;
using Benefit.Api.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Setup;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed the demo clinicians and patients from data/demo/patients.json on an empty database.</summary>
    public bool Seed { get; set; } = true;
}

/// <summary>Seeds the demo roster once; a database that already has patients is left as it is.</summary>
public sealed class DemoSeeder(BenefitDb db, IOptions<CatalogOptions> catalog, IOptions<DemoOptions> demo, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        if (!demo.Value.Seed || await db.Patients.AnyAsync(ct))
            return;

        var path = catalog.Value.Resolve(Path.Combine("demo", "patients.json"));
        await using var stream = File.OpenRead(path);
        var roster = await JsonSerializer.DeserializeAsync<List<DemoPatient>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web), ct)
            ?? throw new InvalidDataException($"{path} holds no patients.");

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var p in roster)
        {
            db.Patients.Add(new Patient
            {
                Id = p.Id, FhirServer = "embedded", FhirPatientId = p.FhirPatientId, AgeBand = p.AgeBand, Sex = p.Sex,
                SocioEconomicBand = p.SocioEconomicBand, Language = p.Language, EnrolledAt = now,
                CareTeam = [new CareTeamMember { PatientId = p.Id, ClinicianId = p.Clinician }],
            });
            // Demo patients have said yes to both, so the walk-through shows personalised suggestions.
            db.Consents.Add(new PatientConsent { PatientId = p.Id, Personalisation = true, Training = true, UpdatedAt = now });
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded {Count} demo patients from {Path}", roster.Count, path);
    }

    private sealed record DemoPatient(string Id, string Clinician, string FhirPatientId, string? AgeBand, string? Sex,
        string? SocioEconomicBand, string? Language);
}
