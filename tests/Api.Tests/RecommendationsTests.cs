using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests;

public abstract class RecommendationsTests(AppFixture fixture)
{
    private static IEnumerable<JsonElement> Items(JsonElement list) => list.GetProperty("items").EnumerateArray();

    [Fact]
    public async Task A_patient_gets_five_ranked_explained_suggestions_from_the_champion_model()
    {
        var list = await (await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-13")).GetAsync("/patients/demo-patient-13/recommendations")).JsonAsync();

        var items = Items(list).ToList();
        Assert.Equal(5, items.Count);
        Assert.Equal([1, 2, 3, 4, 5], items.Select(i => i.GetProperty("rank").GetInt32()));
        Assert.False(string.IsNullOrEmpty(list.GetProperty("modelVersion").GetString()));
        Assert.True(list.GetProperty("personalised").GetBoolean());
        Assert.All(items, i => Assert.InRange(i.GetProperty("reasons").GetArrayLength(), 2, 4));
        Assert.True(items.GroupBy(i => i.GetProperty("category").GetString()).All(g => g.Count() <= 2), "at most two per category in the top five");
    }

    [Fact]
    public async Task Reasons_quote_the_patients_real_measured_blood_pressure_and_its_date()
    {
        const string id = "demo-patient-14";
        var view = await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync($"/patients/{id}/observations")).JsonAsync();
        var systolic = view.GetProperty("snapshot").GetProperty("features").GetProperty("systolic-bp");
        var value = (int)Math.Round(systolic.GetProperty("value").GetDecimal());

        var list = await (await fixture.App.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/recommendations?limit=20")).JsonAsync();
        var reasons = Items(list).SelectMany(i => i.GetProperty("reasons").EnumerateArray()).Select(r => r.GetString()!).ToList();

        var bpReason = reasons.FirstOrDefault(r => r.Contains("blood pressure", StringComparison.OrdinalIgnoreCase));
        if (value >= 140 || bpReason is not null)
        {
            Assert.NotNull(bpReason);
            Assert.Contains($"{value}/", bpReason);
        }
    }

    [Fact]
    public async Task Every_served_list_is_stored_as_impressions_and_a_choice_needs_no_reason()
    {
        const string id = "demo-patient-16";
        var patient = fixture.App.ClientFor(Caller.PatientSelf(id));
        var list = await (await patient.GetAsync($"/patients/{id}/recommendations")).JsonAsync();
        var first = Items(list).First().GetProperty("interventionId").GetString()!;

        var choice = await patient.PostAsJsonAsync($"/patients/{id}/choices",
            new { interventionId = first, kind = "not-for-me", listId = list.GetProperty("listId").GetString() });
        Assert.Equal(HttpStatusCode.Created, choice.StatusCode);

        var again = await (await patient.GetAsync($"/patients/{id}/recommendations?limit=20")).JsonAsync();
        Assert.DoesNotContain(first, Items(again).Select(i => i.GetProperty("interventionId").GetString()));
    }

    [Fact]
    public async Task Enrolling_in_something_that_was_never_suggested_is_fine()
    {
        var response = await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-17"))
            .PostAsJsonAsync("/patients/demo-patient-17/choices", new { interventionId = "pa-walking-group", kind = "enrol" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Without_personalisation_consent_the_list_says_it_is_the_same_for_everyone()
    {
        const string id = "demo-patient-18";
        var patient = fixture.App.ClientFor(Caller.PatientSelf(id));
        await patient.PutAsJsonAsync($"/patients/{id}/consent", new { personalisation = false, training = false });

        var list = await (await patient.GetAsync($"/patients/{id}/recommendations")).JsonAsync();

        Assert.False(list.GetProperty("personalised").GetBoolean());
        Assert.Contains("not personalised", list.GetProperty("notice").GetString());
    }

    [Fact]
    public async Task A_clinician_endorsement_reaches_the_patient_as_recommended_by_the_care_team_and_a_hidden_item_disappears()
    {
        const string id = "demo-patient-19";
        var clinician = fixture.App.ClientFor(Caller.Clinician1);
        var list = await (await fixture.App.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/recommendations?limit=10")).JsonAsync();
        var ids = Items(list).Select(i => i.GetProperty("interventionId").GetString()!).ToList();

        Assert.Equal(HttpStatusCode.Created, (await clinician.PostAsJsonAsync($"/patients/{id}/review-decisions", new { kind = "endorse", interventionId = ids[3] })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await clinician.PostAsJsonAsync($"/patients/{id}/review-decisions", new { kind = "hide", interventionId = ids[0] })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await clinician.PostAsJsonAsync($"/patients/{id}/review-decisions", new { kind = "note", note = "Discussed walking with partner." })).StatusCode);

        var after = await (await fixture.App.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/recommendations?limit=10")).JsonAsync();
        var endorsed = Items(after).First(i => i.GetProperty("interventionId").GetString() == ids[3]);
        Assert.True(endorsed.GetProperty("recommendedByCareTeam").GetBoolean());
        Assert.Equal("Recommended by your care team.", endorsed.GetProperty("reasons")[0].GetString());
        Assert.DoesNotContain(ids[0], Items(after).Select(i => i.GetProperty("interventionId").GetString()));

        var review = await (await clinician.GetAsync($"/patients/{id}/review")).JsonAsync();
        Assert.Equal(3, review.GetProperty("decisions").GetArrayLength());
        Assert.Contains(review.GetProperty("excluded").EnumerateArray(), e => e.GetProperty("interventionId").GetString() == ids[0]);
    }

    [Fact]
    public async Task A_condition_set_by_the_care_team_removes_contraindicated_items_even_when_endorsed()
    {
        const string id = "demo-patient-20";
        var clinician = fixture.App.ClientFor(Caller.Clinician1);
        var catalog = await (await clinician.GetAsync("/interventions?pageSize=100")).JsonAsync();
        var risky = catalog.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("safety").GetProperty("contraindications").EnumerateArray().Any(c => c.GetString() == "RecentCardiacEvent"))
            .Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(risky);
        foreach (var item in risky)
            await clinician.PostAsJsonAsync($"/patients/{id}/review-decisions", new { kind = "endorse", interventionId = item });
        var endorsed = await (await fixture.App.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/recommendations?limit=20")).JsonAsync();
        Assert.Contains(Items(endorsed), i => risky.Contains(i.GetProperty("interventionId").GetString()!));

        var put = await clinician.PutAsJsonAsync($"/patients/{id}/conditions", new { conditions = new[] { "RecentCardiacEvent" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var after = await (await fixture.App.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/recommendations?limit=20")).JsonAsync();
        Assert.DoesNotContain(Items(after), i => risky.Contains(i.GetProperty("interventionId").GetString()!));
        await (await clinician.PutAsJsonAsync($"/patients/{id}/conditions", new { conditions = new[] { "Flu" } })).ProblemAsync(400);
    }

    [Fact]
    public async Task An_intervention_that_needs_clearance_appears_only_after_a_clinician_clears_it()
    {
        const string id = "demo-patient-12";
        var clinician = fixture.App.ClientFor(Caller.Clinician1);
        var catalog = await (await clinician.GetAsync("/interventions?pageSize=100")).JsonAsync();
        var review = await (await clinician.GetAsync($"/patients/{id}/review")).JsonAsync();
        var needsClearance = review.GetProperty("excluded").EnumerateArray()
            .Where(e => e.GetProperty("reason").GetString()!.Contains("clearance", StringComparison.OrdinalIgnoreCase))
            .Select(e => e.GetProperty("interventionId").GetString()!).First();

        Assert.Equal(HttpStatusCode.Created, (await clinician.PostAsJsonAsync($"/patients/{id}/review-decisions", new { kind = "clear", interventionId = needsClearance })).StatusCode);

        var after = await (await clinician.GetAsync($"/patients/{id}/review")).JsonAsync();
        Assert.DoesNotContain(after.GetProperty("excluded").EnumerateArray(), e => e.GetProperty("interventionId").GetString() == needsClearance);
        Assert.NotEmpty(catalog.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("/patients/demo-patient-13/recommendations?limit=0", 400)]
    [InlineData("/patients/demo-patient-13/recommendations?limit=500", 400)]
    [InlineData("/patients/demo-patient-13/recommendations?limit=abc", 400)]
    public async Task Bad_limits_get_problem_details(string url, int status)
    {
        await (await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-13")).GetAsync(url)).ProblemAsync(status);
    }

    [Fact]
    public async Task Unknown_interventions_and_malformed_preferences_are_named()
    {
        var patient = fixture.App.ClientFor(Caller.PatientSelf("demo-patient-13"));
        var unknown = await (await patient.PostAsJsonAsync("/patients/demo-patient-13/choices", new { interventionId = "no-such-thing", kind = "enrol" })).ProblemAsync(422);
        Assert.Equal("interventionId", unknown.GetProperty("field").GetString());
        var badKind = await (await patient.PostAsJsonAsync("/patients/demo-patient-13/choices", new { interventionId = "pa-walking-group", kind = "maybe" })).ProblemAsync(400);
        Assert.Contains("not-for-me", badKind.ToString());
        var badPrefs = await (await patient.PutAsJsonAsync("/patients/demo-patient-13/preferences", new { delivery = "Telepathy" })).ProblemAsync(400);
        Assert.Contains("delivery", badPrefs.ToString());
        var ok = await patient.PutAsJsonAsync("/patients/demo-patient-13/preferences", new { delivery = "InPerson", setting = "Group", maxCostEuroCents = 0, goals = new[] { "BloodPressure" } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}

public sealed class RecommendationsTestsOnSqlite(SqliteApp fixture) : RecommendationsTests(fixture), IClassFixture<SqliteApp>;

public sealed class RecommendationsTestsOnPostgres(PostgresApp fixture) : RecommendationsTests(fixture), IClassFixture<PostgresApp>;
