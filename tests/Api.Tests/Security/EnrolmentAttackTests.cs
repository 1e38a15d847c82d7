using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Benefit.Api.Data;
using Benefit.Api.Patients;
using Benefit.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Api.Tests.Security;

/// <summary>The attack from the security review: enrol a "shadow" patient on someone else's FHIR record and read it.</summary>
public abstract class EnrolmentAttackTests(AppFixture fixture)
{
    private const string Victim = "demo-patient-04"; // care team of demo-clinician-1; FHIR id demo-patient-04 on the embedded source
    private const string SecondVictim = "demo-patient-05";

    [Fact]
    public async Task A_clinician_outside_the_care_team_cannot_enrol_a_shadow_of_the_victim_and_the_attempt_is_audited_against_the_victim()
    {
        var from = fixture.App.Clock.GetUtcNow().UtcDateTime;
        var shadow = $"shadow-{Guid.NewGuid():N}"[..20];
        var attacker = fixture.App.ClientFor(Caller.Clinician2);

        var refused = await attacker.PostAsJsonAsync("/patients", new { id = shadow, fhir = new { server = "embedded", patientId = Victim } });
        await refused.ProblemAsync(403);
        Assert.Equal(HttpStatusCode.Forbidden, (await attacker.GetAsync($"/patients/{shadow}/observations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await attacker.PostAsync($"/patients/{shadow}/fhir-sync", null)).StatusCode);
        Assert.False(await ExistsAsync(shadow));

        var entry = Assert.Single(await AuditAsync(Victim, from), e => e.GetProperty("action").GetString() == "patient.enrol");
        Assert.Equal("denied", entry.GetProperty("outcome").GetString());
        Assert.Equal("demo-clinician-2", entry.GetProperty("subject").GetString());
        Assert.Contains(shadow, entry.GetProperty("detail").GetString());
        Assert.Contains($"Patient/{Victim}", entry.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_admin_cannot_link_a_second_patient_to_a_FHIR_record_already_enrolled()
    {
        var from = fixture.App.Clock.GetUtcNow().UtcDateTime;
        var shadow = $"shadow-{Guid.NewGuid():N}"[..20];

        var problem = await (await fixture.App.ClientFor(Caller.Admin).PostAsJsonAsync("/patients", new
        {
            id = shadow, fhir = new { server = "EMBEDDED/", patientId = SecondVictim }, careTeam = new[] { "demo-clinician-2" },
        })).ProblemAsync(409);

        Assert.Contains(SecondVictim, problem.GetProperty("errors").GetProperty("fhir.patientId")[0].GetString());
        Assert.False(await ExistsAsync(shadow));
        var entry = Assert.Single(await AuditAsync(SecondVictim, from), e => e.GetProperty("action").GetString() == "patient.enrol");
        Assert.Equal("failed:409", entry.GetProperty("outcome").GetString());
        Assert.Equal("support", entry.GetProperty("purpose").GetString());
    }

    [Fact]
    public async Task A_link_to_a_server_this_service_does_not_read_is_refused_and_names_the_field()
    {
        var id = $"other-{Guid.NewGuid():N}"[..20];
        var problem = await (await fixture.App.ClientFor(Caller.Admin).PostAsJsonAsync("/patients", new
        {
            id, fhir = new { server = "https://attacker.example/fhir", patientId = Victim },
        })).ProblemAsync(422);

        Assert.True(problem.GetProperty("errors").TryGetProperty("fhir.server", out _), problem.ToString());
        Assert.False(await ExistsAsync(id));
    }

    [Fact]
    public async Task A_patient_linked_to_another_server_is_never_read_from_the_configured_source()
    {
        // A link written before the rule existed (or by hand): the sync must not fetch the configured source's record for it.
        var id = $"legacy-{Guid.NewGuid():N}"[..20];
        using (var scope = fixture.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
            db.Patients.Add(new Patient
            {
                Id = id, FhirServer = "https://elsewhere.example/fhir", FhirPatientId = Victim, EnrolledAt = DateTime.UtcNow,
                CareTeam = [new CareTeamMember { PatientId = id, ClinicianId = "demo-clinician-2" }],
            });
            await db.SaveChangesAsync();
        }
        var clinician = fixture.App.ClientFor(Caller.Clinician2);

        var problem = await (await clinician.PostAsync($"/patients/{id}/fhir-sync", null)).ProblemAsync(409);
        var view = await (await clinician.GetAsync($"/patients/{id}/observations")).JsonAsync();

        Assert.Equal("UnknownServer", problem.GetProperty("sync").GetProperty("failure").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("snapshot").ValueKind);
    }

    [Fact]
    public async Task The_database_itself_refuses_a_second_patient_on_the_same_FHIR_record()
    {
        using var scope = fixture.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        db.Patients.Add(new Patient { Id = $"dup-{Guid.NewGuid():N}"[..20], FhirServer = "embedded", FhirPatientId = Victim, EnrolledAt = DateTime.UtcNow });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    private async Task<bool> ExistsAsync(string id)
    {
        using var scope = fixture.App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BenefitDb>().Patients.AnyAsync(p => p.Id == id);
    }

    private async Task<JsonElement[]> AuditAsync(string patient, DateTime from)
    {
        var page = await (await fixture.App.ClientFor(Caller.Admin).GetAsync($"/audit?patient={patient}&from={from:O}&pageSize=500")).JsonAsync();
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}

public sealed class EnrolmentAttackTestsOnSqlite(SqliteApp fixture) : EnrolmentAttackTests(fixture), IClassFixture<SqliteApp>;

public sealed class EnrolmentAttackTestsOnPostgres(PostgresApp fixture) : EnrolmentAttackTests(fixture), IClassFixture<PostgresApp>;
