using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests;

public abstract class AccessMatrixTests(AppFixture fixture)
{
    private const string Patient = "demo-patient-03";   // care team of demo-clinician-1
    private const string OtherPatient = "demo-patient-27"; // care team of demo-clinician-2

    // Every route × role is walked by Security/RoleTableTests from the table in docs/security.md.

    [Fact]
    public async Task A_clinician_cannot_tell_an_unknown_patient_from_another_teams_patient()
    {
        var client = fixture.App.ClientFor(Caller.Clinician1);
        var unknown = await client.GetAsync("/patients/no-such-patient");
        var otherTeam = await client.GetAsync($"/patients/{OtherPatient}");
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTeam.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var client = fixture.App.CreateClient();
        var forged = BenefitApplication.Token(Caller.Admin, key: "another-key-another-key-another-key-another-key!!"u8.ToArray());
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/audit")).StatusCode);
    }

    [Theory]
    [InlineData("patient", 403)]
    [InlineData("data-scientist", 403)]
    [InlineData("provider", 403)]
    [InlineData("clinician", 403)]
    [InlineData("admin", 200)]
    public async Task Only_admins_read_the_audit_trail(string role, int expected)
    {
        var caller = role switch
        {
            "patient" => Caller.PatientSelf(Patient),
            "data-scientist" => Caller.DataScientist,
            "provider" => Caller.ProviderGym,
            "clinician" => Caller.Clinician1,
            _ => Caller.Admin,
        };
        var response = await fixture.App.ClientFor(caller).GetAsync("/audit");
        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("patient", 403)]
    [InlineData("data-scientist", 403)]
    [InlineData("provider", 403)]
    [InlineData("clinician", 403)]
    [InlineData("nobody", 401)]
    [InlineData("admin", 201)]
    public async Task Only_admins_enrol_patients(string role, int expected)
    {
        var caller = role switch
        {
            "patient" => Caller.PatientSelf(Patient),
            "data-scientist" => Caller.DataScientist,
            "provider" => Caller.ProviderGym,
            "clinician" => Caller.Clinician1,
            "admin" => Caller.Admin,
            _ => Caller.Nobody,
        };
        var id = $"p-{Guid.NewGuid():N}"[..20];
        var response = await fixture.App.ClientFor(caller).PostAsJsonAsync("/patients",
            new { id, fhir = new { server = "embedded", patientId = $"x-{id}" } });
        Assert.Equal(expected, (int)response.StatusCode);
    }
}

public sealed class AccessMatrixTestsOnSqlite(SqliteApp fixture) : AccessMatrixTests(fixture), IClassFixture<SqliteApp>;

public sealed class AccessMatrixTestsOnPostgres(PostgresApp fixture) : AccessMatrixTests(fixture), IClassFixture<PostgresApp>;
