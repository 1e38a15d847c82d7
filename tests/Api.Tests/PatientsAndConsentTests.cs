using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests;

public abstract class PatientsAndConsentTests(AppFixture fixture)
{
    [Fact]
    public async Task An_admin_enrols_a_patient_onto_a_care_team()
    {
        var id = $"new-{Guid.NewGuid():N}"[..24];
        var clinician = fixture.App.ClientFor(Caller.Clinician1);

        var created = await fixture.App.ClientFor(Caller.Admin).PostAsJsonAsync("/patients", new
        {
            id, fhir = new { server = "embedded", patientId = $"pat-{id}" }, careTeam = new[] { "demo-clinician-1" },
            ageBand = "65-74", sex = "female", socioEconomicBand = "low",
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var patient = await (await clinician.GetAsync($"/patients/{id}")).JsonAsync();
        Assert.Equal(["demo-clinician-1"], patient.GetProperty("careTeam").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("low", patient.GetProperty("socioEconomicBand").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.ClientFor(Caller.Clinician2).GetAsync($"/patients/{id}")).StatusCode);
    }

    [Fact]
    public async Task Enrolling_the_same_id_twice_is_a_conflict_that_changes_nothing()
    {
        var admin = fixture.App.ClientFor(Caller.Admin);
        var body = new { id = "demo-patient-05", fhir = new { server = "embedded", patientId = "zz" }, careTeam = new[] { "intruder" } };

        var problem = await (await admin.PostAsJsonAsync("/patients", body)).ProblemAsync(409);

        Assert.Contains("demo-patient-05", problem.GetProperty("errors").GetProperty("id")[0].GetString());
        var patient = await (await admin.GetAsync("/patients/demo-patient-05")).JsonAsync();
        Assert.Equal("embedded", patient.GetProperty("fhir").GetProperty("server").GetString());
    }

    [Fact]
    public async Task Demographics_that_are_not_known_are_left_empty_and_bad_values_are_named()
    {
        var admin = fixture.App.ClientFor(Caller.Admin);
        var problem = await (await admin.PostAsJsonAsync("/patients", new
        {
            id = "p-bad-band", fhir = new { server = "embedded", patientId = "p1" }, socioEconomicBand = "poor",
        })).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("SocioEconomicBand", out _) || problem.GetProperty("errors").TryGetProperty("socioEconomicBand", out _),
            problem.ToString());
    }

    [Fact]
    public async Task A_patient_changes_consent_and_each_change_is_dated()
    {
        const string id = "demo-patient-07";
        var patient = fixture.App.ClientFor(Caller.PatientSelf(id));
        var before = await (await patient.GetAsync($"/patients/{id}/consent")).JsonAsync();
        Assert.True(before.GetProperty("training").GetBoolean());

        fixture.App.Clock.Advance(TimeSpan.FromDays(2));
        var changedAt = fixture.App.Clock.GetUtcNow().UtcDateTime;
        var after = await (await patient.PutAsJsonAsync($"/patients/{id}/consent", new { personalisation = true, training = false })).JsonAsync();

        Assert.False(after.GetProperty("training").GetBoolean());
        Assert.True(after.GetProperty("personalisation").GetBoolean());
        var change = after.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("training", change.GetProperty("flag").GetString());
        Assert.False(change.GetProperty("value").GetBoolean());
        Assert.Equal(changedAt, change.GetProperty("changedAt").GetDateTime().ToUniversalTime());
        Assert.Equal(changedAt, after.GetProperty("updatedAt").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task Consent_needs_both_flags_so_leaving_one_out_never_switches_it_off()
    {
        var problem = await (await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-08"))
            .PutAsJsonAsync("/patients/demo-patient-08/consent", new { personalisation = false })).ProblemAsync(400);
        Assert.Contains("raining", problem.ToString());
        var consent = await (await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-08")).GetAsync("/patients/demo-patient-08/consent")).JsonAsync();
        Assert.True(consent.GetProperty("personalisation").GetBoolean());
    }

    [Fact]
    public async Task A_clinician_sees_only_their_own_caseload_paged()
    {
        var page = await (await fixture.App.ClientFor(Caller.Clinician2).GetAsync("/clinicians/me/patients?pageSize=15")).JsonAsync();
        var ids = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
        Assert.Equal(15, ids.Count);
        Assert.Equal(20, page.GetProperty("total").GetInt32());
        Assert.All(ids, id => Assert.InRange(int.Parse(id["demo-patient-".Length..]), 21, 40));
    }
}

public sealed class PatientsAndConsentTestsOnSqlite(SqliteApp fixture) : PatientsAndConsentTests(fixture), IClassFixture<SqliteApp>;

public sealed class PatientsAndConsentTestsOnPostgres(PostgresApp fixture) : PatientsAndConsentTests(fixture), IClassFixture<PostgresApp>;
