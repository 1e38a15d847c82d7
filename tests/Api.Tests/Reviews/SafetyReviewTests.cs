using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests.Reviews;

public abstract class SafetyReviewTests(AppFixture fixture)
{
    private HttpClient Clinician => fixture.App.ClientFor(Caller.Clinician1);

    private async Task<JsonElement> ReviewAsync(string id) => await (await Clinician.GetAsync($"/patients/{id}/review")).JsonAsync();

    private Task<HttpResponseMessage> DecideAsync(string id, string kind, string interventionId) =>
        Clinician.PostAsJsonAsync($"/patients/{id}/review-decisions", new { kind, interventionId });

    private async Task<List<string>> PatientListAsync(string id) =>
        (await (await fixture.App.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/recommendations?limit=20")).JsonAsync())
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("interventionId").GetString()!).ToList();

    /// <summary>The patient asks for one category only, so every allowed item of it is on their list (at most 20 are served).</summary>
    private async Task OnlyAsync(string id, string category) =>
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.ClientFor(Caller.PatientSelf(id))
            .PutAsJsonAsync($"/patients/{id}/preferences", new { onlyCategory = category })).StatusCode);

    [Fact]
    public async Task The_review_of_demo_patient_06_leads_with_the_critical_blood_pressure_alert_and_what_it_withholds()
    {
        var review = await ReviewAsync("demo-patient-06");

        var alerts = review.GetProperty("alerts").EnumerateArray().ToList();
        var bp = alerts[0];
        Assert.Equal("critical", bp.GetProperty("level").GetString());
        Assert.Equal("184/112 mmHg", bp.GetProperty("display").GetString());
        Assert.Equal("2026-11-09", bp.GetProperty("date").GetString());
        Assert.Equal("≥ 180/110 mmHg", bp.GetProperty("threshold").GetString());
        Assert.Contains("ESC", bp.GetProperty("source").GetString());
        var levels = alerts.Select(a => a.GetProperty("level").GetString()).ToList();
        Assert.Equal(levels.OrderBy(l => l switch { "critical" => 0, "warning" => 1, _ => 2 }), levels);

        var withheld = review.GetProperty("withheld").EnumerateArray().ToList();
        var running = withheld.Single(w => w.GetProperty("interventionId").GetString() == "pa-running-start");
        Assert.Equal("contraindicated", running.GetProperty("kind").GetString());
        Assert.False(running.GetProperty("clearable").GetBoolean());
        Assert.Contains("Uncontrolled hypertension: BP 184/112 mmHg on 9 Nov 2026", running.GetProperty("reason").GetString());
        Assert.Equal("2026-11-09", running.GetProperty("rules")[0].GetProperty("measurement").GetProperty("date").GetString());
        Assert.Contains(withheld, w => w.GetProperty("kind").GetString() == "needs-clearance" && w.GetProperty("clearable").GetBoolean());
    }

    [Fact]
    public async Task Suggestions_in_the_review_carry_short_clinical_reasons_beside_the_patients_own()
    {
        var items = (await ReviewAsync("demo-patient-01")).GetProperty("suggestions").GetProperty("items").EnumerateArray().ToList();

        var clinical = items.SelectMany(i => i.GetProperty("clinicianReasons").EnumerateArray()).Select(r => r.GetString()!).ToList();
        Assert.Contains("BP 148/100 mmHg on 6 Nov 2026, target < 140/90.", clinical);
        Assert.DoesNotContain(clinical, r => r.Contains("your", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(items.SelectMany(i => i.GetProperty("reasons").EnumerateArray()), r => r.GetString()!.StartsWith("Your blood pressure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Adding_a_contraindicated_intervention_is_refused_with_the_reason_and_nothing_is_stored()
    {
        const string id = "demo-patient-06";
        var before = (await ReviewAsync(id)).GetProperty("decisions").GetArrayLength();

        var problem = await (await DecideAsync(id, "add", "pa-running-start")).ProblemAsync(409);

        Assert.Equal("Withheld for safety", problem.GetProperty("title").GetString());
        Assert.Contains("BP 184/112 mmHg on 9 Nov 2026", problem.GetProperty("detail").GetString());
        Assert.Contains("cannot be cleared", problem.GetProperty("detail").GetString());
        Assert.False(problem.GetProperty("withheld").GetProperty("clearable").GetBoolean());
        await (await DecideAsync(id, "clear", "pa-running-start")).ProblemAsync(409);
        Assert.Equal(before, (await ReviewAsync(id)).GetProperty("decisions").GetArrayLength());
    }

    [Fact]
    public async Task Clearing_reaches_the_patients_own_list_is_audited_and_revoking_withholds_it_again()
    {
        const string id = "demo-patient-05";
        const string apnoea = "sl-apnoea-screening";
        await OnlyAsync(id, "Sleep");
        var withheld = (await ReviewAsync(id)).GetProperty("withheld").EnumerateArray()
            .Single(w => w.GetProperty("interventionId").GetString() == apnoea);
        Assert.True(withheld.GetProperty("clearable").GetBoolean());
        Assert.DoesNotContain(apnoea, await PatientListAsync(id));

        Assert.Equal(HttpStatusCode.Created, (await DecideAsync(id, "clear", apnoea)).StatusCode);

        Assert.Contains(apnoea, await PatientListAsync(id));
        var review = await ReviewAsync(id);
        Assert.DoesNotContain(review.GetProperty("withheld").EnumerateArray(), w => w.GetProperty("interventionId").GetString() == apnoea);
        Assert.Contains(review.GetProperty("cleared").EnumerateArray(), c => c.GetProperty("interventionId").GetString() == apnoea);
        var audit = await (await fixture.App.ClientFor(Caller.Admin).GetAsync($"/audit?patient={id}")).JsonAsync();
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), a => a.GetProperty("action").GetString() == "review.decide"
            && a.GetProperty("outcome").GetString() == "allowed" && a.GetProperty("detail").GetString() == $"clear {apnoea}"
            && a.GetProperty("subject").GetString() == "demo-clinician-1");

        var revoked = await (await DecideAsync(id, "revoke-clearance", apnoea)).JsonAsync();
        Assert.Equal("clearance-revoked", revoked.GetProperty("notices")[0].GetProperty("code").GetString());
        Assert.DoesNotContain(apnoea, await PatientListAsync(id));
    }

    [Fact]
    public async Task Adding_an_intervention_that_needs_clearance_clears_it_and_says_so()
    {
        const string id = "demo-patient-09";
        await OnlyAsync(id, "Sleep");
        var added = await DecideAsync(id, "add", "sl-apnoea-screening");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var notice = (await added.JsonAsync()).GetProperty("notices")[0];
        Assert.Equal("cleared", notice.GetProperty("code").GetString());
        Assert.Contains("cleared it for this patient", notice.GetProperty("text").GetString());
        Assert.Contains("sl-apnoea-screening", await PatientListAsync(id));
    }

    [Fact]
    public async Task Endorsing_what_the_patient_declined_is_recorded_but_their_not_for_me_stands_and_the_answer_says_so()
    {
        const string id = "demo-patient-07";
        await OnlyAsync(id, "PhysicalActivity");
        var choice = await fixture.App.ClientFor(Caller.PatientSelf(id)).PostAsJsonAsync($"/patients/{id}/choices",
            new { interventionId = "pa-walking-group", kind = "not-for-me" });
        Assert.Equal(HttpStatusCode.Created, choice.StatusCode);

        var endorsed = await DecideAsync(id, "endorse", "pa-walking-group");

        Assert.Equal(HttpStatusCode.Created, endorsed.StatusCode);
        var notice = (await endorsed.JsonAsync()).GetProperty("notices").EnumerateArray().Single(n => n.GetProperty("code").GetString() == "patient-not-for-me");
        Assert.Contains("That stands", notice.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.String, notice.GetProperty("at").ValueKind);
        Assert.DoesNotContain("pa-walking-group", await PatientListAsync(id));
    }
}

public sealed class SafetyReviewTestsOnSqlite(SqliteApp fixture) : SafetyReviewTests(fixture), IClassFixture<SqliteApp>;

public sealed class SafetyReviewTestsOnPostgres(PostgresApp fixture) : SafetyReviewTests(fixture), IClassFixture<PostgresApp>;
