using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests.Clinician;

public abstract class CaseloadApiTests(AppFixture fixture)
{
    private async Task<JsonElement> CaseloadEntryAsync(string patientId)
    {
        var caseload = await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/clinicians/me/caseload")).JsonAsync();
        return caseload.EnumerateArray().Single(p => p.GetProperty("id").GetString() == patientId);
    }

    [Fact]
    public async Task The_caseload_lists_only_the_care_team_with_last_measurement_sync_status_and_open_suggestions()
    {
        var caseload = (await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/clinicians/me/caseload")).JsonAsync()).EnumerateArray().ToList();

        Assert.Equal(20, caseload.Count);
        Assert.DoesNotContain(caseload, p => p.GetProperty("id").GetString() == "demo-patient-21");
        Assert.All(caseload, p =>
        {
            Assert.Equal("complete", p.GetProperty("lastSyncStatus").GetString());
            Assert.Equal(JsonValueKind.String, p.GetProperty("lastMeasurementAt").ValueKind);
            Assert.InRange(p.GetProperty("openSuggestions").GetInt32(), 1, 5);
        });
    }

    [Fact]
    public async Task The_caseload_triages_by_highest_alert_then_date_so_demo_patient_06_with_BP_184_112_comes_first()
    {
        var caseload = (await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/clinicians/me/caseload")).JsonAsync()).EnumerateArray().ToList();

        Assert.Equal("demo-patient-06", caseload[0].GetProperty("id").GetString());
        Assert.Equal("critical", caseload[0].GetProperty("highestAlert").GetString());
        Assert.Equal("184/112 mmHg", caseload[0].GetProperty("topAlert").GetProperty("display").GetString());
        Assert.Equal("demo-patient-18", caseload[1].GetProperty("id").GetString()); // PHQ-9 21 on 4 Nov: critical, older
        static int Rank(JsonElement e) => e.GetProperty("highestAlert").GetString() switch { "critical" => 0, "warning" => 1, "info" => 2, _ => 3 };
        Assert.Equal(caseload.Select(Rank).Order(), caseload.Select(Rank));
    }

    [Fact]
    public async Task An_endorsed_suggestion_no_longer_counts_as_open()
    {
        const string id = "demo-patient-11";
        var before = (await CaseloadEntryAsync(id)).GetProperty("openSuggestions").GetInt32();
        var review = await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync($"/patients/{id}/review")).JsonAsync();
        var first = review.GetProperty("suggestions").GetProperty("items")[0].GetProperty("interventionId").GetString();

        var endorse = await fixture.App.ClientFor(Caller.Clinician1).PostAsJsonAsync($"/patients/{id}/review-decisions", new { kind = "endorse", interventionId = first });
        Assert.Equal(HttpStatusCode.Created, endorse.StatusCode);

        Assert.Equal(before - 1, (await CaseloadEntryAsync(id)).GetProperty("openSuggestions").GetInt32());
    }

    [Fact]
    public async Task Series_give_dated_blood_pressure_weight_and_steps_readings_in_time_order()
    {
        var series = await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/patients/demo-patient-12/series")).JsonAsync();

        foreach (var feature in new[] { "systolic-bp", "diastolic-bp", "body-weight", "steps" })
        {
            var points = series.GetProperty(feature).EnumerateArray().Select(p => p.GetProperty("at").GetDateTimeOffset()).ToList();
            Assert.True(points.Count >= 2, $"{feature} has {points.Count} points");
            Assert.Equal(points.Order(), points);
        }
    }

    [Fact]
    public async Task Series_of_another_teams_patient_are_refused_and_the_refusal_is_audited()
    {
        var response = await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/patients/demo-patient-22/series");
        await response.ProblemAsync(403);

        var audit = await (await fixture.App.ClientFor(Caller.Admin).GetAsync("/audit?patient=demo-patient-22")).JsonAsync();
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), a =>
            a.GetProperty("action").GetString() == "review.series" && a.GetProperty("outcome").GetString() == "denied");
    }

    [Fact]
    public async Task The_caseload_is_for_clinicians_only()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-01")).GetAsync("/clinicians/me/caseload")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Anonymous().GetAsync("/clinicians/me/caseload")).StatusCode);
    }
}

public sealed class CaseloadApiTestsOnSqlite(SqliteApp fixture) : CaseloadApiTests(fixture), IClassFixture<SqliteApp>;

public sealed class CaseloadApiTestsOnPostgres(PostgresApp fixture) : CaseloadApiTests(fixture), IClassFixture<PostgresApp>;
