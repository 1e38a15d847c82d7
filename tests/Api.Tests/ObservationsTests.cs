using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests;

public abstract class ObservationsTests(AppFixture fixture)
{
    [Fact]
    public async Task First_start_reads_the_demo_patients_FHIR_bundles_into_a_snapshot_with_provenance()
    {
        var view = await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/patients/demo-patient-04/observations")).JsonAsync();

        Assert.Equal("complete", view.GetProperty("lastSyncStatus").GetString());
        var features = view.GetProperty("snapshot").GetProperty("features");
        var bp = features.EnumerateObject().First(f => f.Name.Contains("systolic", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.InRange(bp.GetProperty("value").GetDecimal(), 80m, 250m);
        var source = bp.GetProperty("sources")[0];
        Assert.StartsWith("embedded", source.GetProperty("server").GetString());
        Assert.False(string.IsNullOrEmpty(source.GetProperty("observationId").GetString()));
    }

    [Fact]
    public async Task Syncing_again_from_unchanged_bundles_fetches_but_changes_nothing()
    {
        var response = await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-06")).PostAsync("/patients/demo-patient-06/fhir-sync", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        Assert.Equal("complete", report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("fetched").GetInt32() > 0);
        Assert.Equal(0, report.GetProperty("changed").GetInt32());
    }

    [Fact]
    public async Task A_patient_whose_bundle_does_not_exist_gets_a_problem_and_no_snapshot()
    {
        var admin = fixture.App.ClientFor(Caller.Admin);
        var id = $"nobundle-{Guid.NewGuid():N}"[..20];
        await admin.PostAsJsonAsync("/patients", new { id, fhir = new { server = "embedded", patientId = $"missing-{id}" }, careTeam = new[] { "demo-clinician-1" } });

        var response = await fixture.App.ClientFor(Caller.Clinician1).PostAsync($"/patients/{id}/fhir-sync", null);

        Assert.True((int)response.StatusCode is 404 or 502, await response.Content.ReadAsStringAsync());
        await response.ProblemAsync((int)response.StatusCode);
        var view = await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync($"/patients/{id}/observations")).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, view.GetProperty("snapshot").ValueKind);
        Assert.NotEqual("complete", view.GetProperty("lastSyncStatus").GetString());
    }
}

public sealed class ObservationsTestsOnSqlite(SqliteApp fixture) : ObservationsTests(fixture), IClassFixture<SqliteApp>;

public sealed class ObservationsTestsOnPostgres(PostgresApp fixture) : ObservationsTests(fixture), IClassFixture<PostgresApp>;
