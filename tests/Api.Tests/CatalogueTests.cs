using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests;

public sealed class CatalogueTests(SqliteApp fixture) : IClassFixture<SqliteApp>
{
    private HttpClient Patient => fixture.App.ClientFor(Caller.PatientSelf("demo-patient-01"));

    [Fact]
    public async Task The_intervention_catalogue_is_paged_and_covers_at_least_eight_categories()
    {
        var first = await (await Patient.GetAsync("/interventions?pageSize=100")).JsonAsync();
        var items = first.GetProperty("items").EnumerateArray().ToList();
        Assert.True(first.GetProperty("total").GetInt32() >= 40);
        Assert.True(items.Select(i => i.GetProperty("category").GetString()).Distinct().Count() >= 8);

        var page2 = await (await Patient.GetAsync("/interventions?page=2&pageSize=10")).JsonAsync();
        Assert.Equal(items[10].GetProperty("id").GetString(), page2.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("category=SmokingCessation", "category", "SmokingCessation")]
    [InlineData("target=BloodPressure", "targets", "BloodPressure")]
    public async Task Filters_return_only_matching_interventions(string query, string property, string expected)
    {
        var page = await (await Patient.GetAsync($"/interventions?{query}&pageSize=100")).JsonAsync();
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i =>
        {
            var value = i.GetProperty(property);
            Assert.True(value.ValueKind == System.Text.Json.JsonValueKind.Array
                ? value.EnumerateArray().Any(v => v.GetString() == expected)
                : value.GetString() == expected, i.ToString());
        });
    }

    [Fact]
    public async Task Format_filter_for_group_programmes_and_unknown_format_is_named()
    {
        var page = await (await Patient.GetAsync("/interventions?format=group&pageSize=100")).JsonAsync();
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("Group", i.GetProperty("format").GetProperty("setting").GetString()));
        var problem = await (await Patient.GetAsync("/interventions?format=telepathic")).ProblemAsync(400);
        Assert.Contains("telepathic", problem.ToString());
    }

    [Fact]
    public async Task An_unknown_intervention_is_a_404_problem_and_a_bad_page_is_a_400()
    {
        await (await Patient.GetAsync("/interventions/does-not-exist")).ProblemAsync(404);
        await (await Patient.GetAsync("/interventions?pageSize=0")).ProblemAsync(400);
        await (await Patient.GetAsync("/interventions?category=knitting")).ProblemAsync(400);
    }

    [Fact]
    public async Task Rewards_list_at_least_fifteen_items_with_point_costs()
    {
        var rewards = (await (await Patient.GetAsync("/rewards")).JsonAsync()).EnumerateArray().ToList();
        Assert.True(rewards.Count >= 15);
        Assert.All(rewards, r => Assert.True(r.GetProperty("pointCost").GetInt32() > 0));
    }

    [Fact]
    public async Task Catalogues_need_a_signed_in_user()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Anonymous().GetAsync("/interventions")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_route_with_its_auth_and_error_responses()
    {
        var doc = await (await fixture.App.Anonymous().GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/patients", "/patients/{id}", "/patients/{id}/consent", "/audit", "/interventions", "/rewards" })
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        var put = paths.GetProperty("/patients/{id}/consent").GetProperty("put");
        Assert.True(put.TryGetProperty("security", out _));
        foreach (var status in new[] { "400", "401", "403", "429" })
            Assert.True(put.GetProperty("responses").TryGetProperty(status, out _), $"PUT consent lacks {status}");
        Assert.False(string.IsNullOrEmpty(put.GetProperty("summary").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.Anonymous().GetAsync("/scalar")).StatusCode);
    }
}

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_client_over_its_write_limit_gets_429_with_Retry_After_and_others_are_unaffected()
    {
        await using var app = new BenefitApplication(DatabaseKind.Sqlite, settings: new Dictionary<string, string?>
        {
            ["RateLimits:PermitsPerRole:patient"] = "3",
        });
        var patient = app.ClientFor(Caller.PatientSelf("demo-patient-09"));
        var body = new { personalisation = true, training = true };

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await patient.PutAsJsonAsync("/patients/demo-patient-09/consent", body)).StatusCode);
        var limited = await patient.PutAsJsonAsync("/patients/demo-patient-09/consent", body);

        await limited.ProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var other = app.ClientFor(Caller.PatientSelf("demo-patient-10"));
        Assert.Equal(HttpStatusCode.OK, (await other.PutAsJsonAsync("/patients/demo-patient-10/consent", body)).StatusCode);
    }
}
