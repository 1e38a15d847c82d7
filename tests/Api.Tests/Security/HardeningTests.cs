using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Benefit.Api.Models;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests.Security;

/// <summary>The small holes from the security review, each closed and kept closed.</summary>
public abstract class HardeningTests(AppFixture fixture)
{
    [Theory]
    [InlineData("/patients/demo-patient-01/observations")]
    [InlineData("/patients/demo-patient-21/observations")]
    [InlineData("/interventions")]
    public async Task Responses_are_never_cached_nor_sniffed(string path)
    {
        var response = await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-01")).GetAsync(path);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: {response.Headers.CacheControl}");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_property_sent_twice_in_other_letter_case_is_refused()
    {
        var client = fixture.App.ClientFor(Caller.PatientSelf("demo-patient-16"));
        var response = await client.PostAsync("/patients/demo-patient-16/choices",
            new StringContent("""{"interventionId":"pa-walking-group","kind":"not-now","Kind":"not-for-me"}""", System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.ProblemAsync(400);
        Assert.Contains("Duplicate", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("page=2147483647&pageSize=200")]
    [InlineData("page=1&pageSize=100000")]
    [InlineData("page=0")]
    public async Task Paging_out_of_bounds_is_refused_not_overflowed(string query)
    {
        var response = await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-16")).GetAsync($"/patients/demo-patient-16/points?{query}");
        await response.ProblemAsync(400);
    }

    [Fact]
    public async Task The_job_dashboards_stats_endpoint_answers_a_client_error_not_a_500()
    {
        var response = await fixture.App.ClientFor(Caller.Admin).GetAsync("/jobs/stats");
        await response.ProblemAsync(415);
    }

    [Fact]
    public async Task The_job_dashboard_sets_its_cookie_only_for_a_token_that_validated()
    {
        var forged = BenefitApplication.Token(Caller.Admin, key: "another-key-another-key-another-key-another-key!!"u8.ToArray());
        var refused = await fixture.App.Anonymous().GetAsync($"/jobs?access_token={forged}");
        var accepted = await fixture.App.Anonymous().GetAsync($"/jobs?access_token={BenefitApplication.Token(Caller.Admin)}");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("benefit_jobs_token"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var cookie = Assert.Single(accepted.Headers.GetValues("Set-Cookie"), c => c.StartsWith("benefit_jobs_token"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/jobs", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Subgroup_metrics_over_fewer_patients_than_the_minimum_are_suppressed_for_data_scientists()
    {
        var card = JsonNode.Parse("""
            {"metrics":[{"name":"ffm","overall":{"ndcg5":0.2,"patients":400},"subgroups":[
              {"dimension":"SES band","group":"low","metrics":{"ndcg5":0.3,"patients":12}},
              {"dimension":"SES band","group":"high","metrics":{"ndcg5":0.1,"patients":388}}]}]}
            """)!;

        var shown = SmallGroupSuppression.Apply(card, 20);

        var groups = shown["metrics"]![0]!["subgroups"]!.AsArray();
        Assert.StartsWith("suppressed", groups[0]!["metrics"]!.GetValue<string>());
        Assert.Equal(0.1, groups[1]!["metrics"]!["ndcg5"]!.GetValue<double>());
        Assert.Equal(400, shown["metrics"]![0]!["overall"]!["patients"]!.GetValue<int>());
    }
}

public sealed class HardeningTestsOnSqlite(SqliteApp fixture) : HardeningTests(fixture), IClassFixture<SqliteApp>;

public sealed class HardeningTestsOnPostgres(PostgresApp fixture) : HardeningTests(fixture), IClassFixture<PostgresApp>;

/// <summary>Reads are limited per caller and role, refused with 429 and Retry-After, and the refusal is audited.</summary>
public sealed class ReadRateLimitTests
{
    [Fact]
    public async Task Reads_beyond_the_roles_limit_get_429_with_Retry_After_and_are_audited()
    {
        await using var app = new BenefitApplication(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["RateLimits:ReadPermitsPerRole:patient"] = "3",
        });
        var patient = app.ClientFor(Caller.PatientSelf("demo-patient-02"));
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await patient.GetAsync("/patients/demo-patient-02/consent")).StatusCode);

        var limited = await patient.GetAsync("/patients/demo-patient-02/consent");
        await limited.ProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter is not null);
        // Another role has its own budget.
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(Caller.Clinician1).GetAsync("/patients/demo-patient-02/consent")).StatusCode);

        var audit = await (await app.ClientFor(Caller.Admin).GetAsync("/audit?patient=demo-patient-02")).JsonAsync();
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("outcome").GetString() == "rate-limited");
    }
}
