using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests;

public abstract class AccessMatrixTests(AppFixture fixture)
{
    private const string Patient = "demo-patient-03";   // care team of demo-clinician-1
    private const string OtherPatient = "demo-patient-27"; // care team of demo-clinician-2

    public static TheoryData<PatientRoute, string> Matrix()
    {
        var data = new TheoryData<PatientRoute, string>();
        foreach (var route in PatientRoute.All)
        foreach (var caller in new[] { "self", "other-patient", "care-team", "other-clinician", "data-scientist", "provider", "admin", "nobody" })
            data.Add(route, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_role_reaches_only_the_patients_it_may(PatientRoute route, string who)
    {
        var (caller, allowed) = who switch
        {
            "self" => (Caller.PatientSelf(Patient), route.Self),
            "other-patient" => (Caller.PatientSelf(OtherPatient), false),
            "care-team" => (Caller.Clinician1, route.CareTeam),
            "other-clinician" => (Caller.Clinician2, false),
            "data-scientist" => (Caller.DataScientist, false),
            "provider" => (Caller.ProviderGym, false),
            "admin" => (Caller.Admin, route.Admin),
            _ => (Caller.Nobody, false),
        };

        var response = await fixture.App.ClientFor(caller).SendAsync(route.Request(Patient));

        if (caller.Role is null)
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        else if (allowed)
            // Past the access check: success, or a domain answer such as 409 "not enough points" — never 401/403/5xx.
            Assert.True((int)response.StatusCode is < 400 or 404 or 409 or 422, $"{caller} on {route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        else
            await response.ProblemAsync(403);
    }

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
    [InlineData("nobody", 401)]
    public async Task Only_clinicians_and_admins_enrol_patients(string role, int expected)
    {
        var caller = role switch
        {
            "patient" => Caller.PatientSelf(Patient),
            "data-scientist" => Caller.DataScientist,
            "provider" => Caller.ProviderGym,
            _ => Caller.Nobody,
        };
        var response = await fixture.App.ClientFor(caller).PostAsJsonAsync("/patients",
            new { id = $"p-{Guid.NewGuid():N}"[..20], fhir = new { server = "https://fhir.example.org/r4", patientId = "x1" } });
        Assert.Equal(expected, (int)response.StatusCode);
    }
}

public sealed class AccessMatrixTestsOnSqlite(SqliteApp fixture) : AccessMatrixTests(fixture), IClassFixture<SqliteApp>;

public sealed class AccessMatrixTestsOnPostgres(PostgresApp fixture) : AccessMatrixTests(fixture), IClassFixture<PostgresApp>;
