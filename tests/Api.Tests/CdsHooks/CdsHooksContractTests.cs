using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests.CdsHooks;

public abstract class CdsHooksContractTests(AppFixture fixture)
{
    private const string Service = "/cds-services/benefit-lifestyle";

    private static object Hook(string patientId, object? prefetch = null, string userId = "Practitioner/demo-clinician-1") => new
    {
        hook = "patient-view",
        hookInstance = Guid.NewGuid().ToString(),
        context = new { userId, patientId },
        prefetch,
    };

    private async Task<JsonElement[]> CardsAsync(string patientId, Caller? caller = null, object? prefetch = null)
    {
        var response = await fixture.App.ClientFor(caller ?? Caller.Clinician1).PostAsJsonAsync(Service,
            Hook(patientId, prefetch, $"Practitioner/{(caller ?? Caller.Clinician1).Name}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("cards").EnumerateArray().ToArray();
    }

    [Fact]
    public async Task Discovery_lists_the_patient_view_service_with_a_prefetch_template_for_observations()
    {
        var discovery = await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/cds-services")).JsonAsync();

        var service = Assert.Single(discovery.GetProperty("services").EnumerateArray());
        Assert.Equal("patient-view", service.GetProperty("hook").GetString());
        Assert.Equal("benefit-lifestyle", service.GetProperty("id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("description").GetString()));
        var template = service.GetProperty("prefetch").GetProperty("observations").GetString()!;
        Assert.StartsWith("Observation?patient={{context.patientId}}&code=", template);
        Assert.Contains("http://loinc.org|85354-9", template);
    }

    [Fact]
    public async Task A_patient_view_call_answers_info_cards_with_reasons_a_short_summary_and_a_link_to_the_review_page()
    {
        var cards = await CardsAsync("demo-patient-05");

        Assert.InRange(cards.Length, 1, 5);
        foreach (var card in cards)
        {
            Assert.True(Guid.TryParse(card.GetProperty("uuid").GetString(), out _));
            Assert.InRange(card.GetProperty("summary").GetString()!.Length, 1, 140);
            Assert.Equal("info", card.GetProperty("indicator").GetString());
            Assert.Contains("- ", card.GetProperty("detail").GetString());
            Assert.False(string.IsNullOrWhiteSpace(card.GetProperty("source").GetProperty("label").GetString()));
            var suggestion = Assert.Single(card.GetProperty("suggestions").EnumerateArray());
            Assert.False(string.IsNullOrWhiteSpace(suggestion.GetProperty("label").GetString()));
            Assert.Equal("at-most-one", card.GetProperty("selectionBehavior").GetString());
            Assert.All(card.GetProperty("overrideReasons").EnumerateArray(), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("code").GetString())));
            var link = Assert.Single(card.GetProperty("links").EnumerateArray());
            Assert.Equal("absolute", link.GetProperty("type").GetString());
            Assert.EndsWith("/clinician#patient=demo-patient-05", link.GetProperty("url").GetString());
        }
    }

    [Fact]
    public async Task A_critical_blood_pressure_comes_as_a_critical_card_with_its_threshold_and_source_ahead_of_the_suggestions()
    {
        var cards = await CardsAsync("demo-patient-06");

        var alert = cards[0];
        Assert.Equal("critical", alert.GetProperty("indicator").GetString());
        Assert.Equal("Critical: BP 184/112 mmHg on 9 Nov 2026 (≥ 180/110 mmHg)", alert.GetProperty("summary").GetString());
        Assert.Contains("no vigorous training until treated", alert.GetProperty("detail").GetString());
        Assert.Contains("ESC", alert.GetProperty("source").GetProperty("label").GetString());
        Assert.Empty(alert.GetProperty("suggestions").EnumerateArray());
        var indicators = cards.Select(c => c.GetProperty("indicator").GetString()).ToList();
        Assert.Equal(indicators.OrderBy(i => i switch { "critical" => 0, "warning" => 1, _ => 2 }), indicators);
        Assert.Contains("info", indicators);
        Assert.DoesNotContain(cards, c => c.GetProperty("indicator").GetString() == "info" && c.GetProperty("suggestions").GetArrayLength() == 0);
        // Cards speak to the clinician: "BP 184/112 mmHg on 9 Nov 2026, target < 140/90", not "Your blood pressure was …".
        Assert.DoesNotContain(cards, c => c.GetProperty("detail").GetString()!.Contains("Your ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_patient_within_every_warning_line_gets_suggestion_cards_only()
    {
        var cards = await CardsAsync("demo-patient-05"); // BP 108/75, LDL 1.9 is an info-level alert: for the page, not a card
        Assert.All(cards, c => Assert.Equal("info", c.GetProperty("indicator").GetString()));
    }

    [Fact]
    public async Task Prefetched_observations_are_read_instead_of_the_stored_snapshot()
    {
        var bundle = new
        {
            resourceType = "Bundle", type = "searchset",
            entry = new[] { new { resource = BloodPressure("cds-bp-1", 178, 104, "2026-11-01") } },
        };
        var cards = await CardsAsync("demo-patient-06", prefetch: new { observations = bundle });

        var text = string.Join("\n", cards.Select(c => c.GetProperty("detail").GetString()));
        Assert.Contains("178/104", text);
        Assert.Equal("warning", cards[0].GetProperty("indicator").GetString()); // 178/104 is below the critical line, above 140/90
    }

    [Fact]
    public async Task Feedback_stores_accepted_as_endorse_and_overridden_as_hide_with_an_optional_reason()
    {
        // demo-patient-07's BP 160/97 gives a warning card first; feedback is about the suggestion cards after it.
        var cards = (await CardsAsync("demo-patient-07")).Where(c => c.GetProperty("indicator").GetString() == "info").ToArray();
        var (accepted, overridden, plain) = (cards[0].GetProperty("uuid").GetString(), cards[1].GetProperty("uuid").GetString(), cards[2].GetProperty("uuid").GetString());
        var feedback = new
        {
            feedback = new object[]
            {
                new { card = accepted, outcome = "accepted", acceptedSuggestions = new[] { new { id = $"{accepted}-endorse" } }, outcomeTimestamp = "2026-11-03T09:00:00Z" },
                new { card = overridden, outcome = "overridden", overrideReason = new { reason = new { code = "patient-declined", display = "Patient prefers something else" } } },
                new { card = plain, outcome = "overridden" },
            },
        };

        var response = await fixture.App.ClientFor(Caller.Clinician1).PostAsJsonAsync($"{Service}/feedback", feedback);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var review = await (await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/patients/demo-patient-07/review")).JsonAsync();
        var decisions = review.GetProperty("decisions").EnumerateArray().Where(d => d.GetProperty("source").GetString() == "cds-hooks").ToList();
        Assert.Equal(["endorse", "hide", "hide"], decisions.OrderBy(d => d.GetProperty("id").GetInt64()).Select(d => d.GetProperty("kind").GetString()));
        Assert.Contains(decisions, d => d.GetProperty("note").GetString() == "Patient prefers something else");
        Assert.Contains(decisions, d => d.GetProperty("kind").GetString() == "hide" && d.GetProperty("note").ValueKind == JsonValueKind.Null);
        Assert.All(decisions, d => Assert.Equal("demo-clinician-1", d.GetProperty("clinicianId").GetString()));
    }

    [Fact]
    public async Task A_patient_outside_the_clinicians_care_team_gets_no_cards_and_the_attempt_is_audited()
    {
        Assert.Empty(await CardsAsync("demo-patient-21"));
        Assert.Empty(await CardsAsync("no-such-patient"));

        var audit = await (await fixture.App.ClientFor(Caller.Admin).GetAsync("/audit?patient=demo-patient-21")).JsonAsync();
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), a =>
            a.GetProperty("action").GetString() == "cds.patient-view" && a.GetProperty("outcome").GetString() == "denied"
            && a.GetProperty("subject").GetString() == "demo-clinician-1");
    }

    private const string Instance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";

    public static TheoryData<string, string> MalformedHooks() => new()
    {
        { "{", "JSON" },
        { $$$"""{"hookInstance":"{{{Instance}}}","context":{"patientId":"demo-patient-08"}}""", "'hook'" },
        { $$$"""{"hook":"order-sign","hookInstance":"{{{Instance}}}","context":{"patientId":"demo-patient-08"}}""", "patient-view" },
        { """{"hook":"patient-view","context":{"patientId":"demo-patient-08"}}""", "'hookInstance'" },
        { """{"hook":"patient-view","hookInstance":"not-a-uuid","context":{"patientId":"demo-patient-08"}}""", "UUID" },
        { $$$"""{"hook":"patient-view","hookInstance":"{{{Instance}}}"}""", "'context'" },
        { $$$"""{"hook":"patient-view","hookInstance":"{{{Instance}}}","context":{"userId":"Practitioner/demo-clinician-1"}}""", "'context.patientId'" },
        { $$$"""{"hook":"patient-view","hookInstance":"{{{Instance}}}","context":{"patientId":"demo-patient-08"},"prefetch":{"observations":{"resourceType":"Patient"} } }""", "Bundle" },
        { $$$"""{"hook":"patient-view","hookInstance":"{{{Instance}}}","fhirServer":"https://ehr.example/fhir","fhirAuthorization":{},"context":{"patientId":"demo-patient-08"}}""", "access_token" },
        { $$$"""{"hook":"patient-view","hookInstance":"{{{Instance}}}","fhirAuthorization":{"access_token":"x"},"context":{"patientId":"demo-patient-08"}}""", "'fhirServer'" },
        { $$$"""{"hook":"patient-view","hookInstance":"{{{Instance}}}","context":{"patientId":"demo-patient-08","userId":"Practitioner/demo-clinician-2"}}""", "userId" },
    };

    [Theory]
    [MemberData(nameof(MalformedHooks))]
    public async Task Malformed_hook_requests_get_400_problem_details_that_name_the_problem(string body, string named)
    {
        var response = await fixture.App.ClientFor(Caller.Clinician1).PostAsync(Service, new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.ProblemAsync(400);
        Assert.Contains(named, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/cds-services/no-such-service")]
    [InlineData("/cds-services/no-such-service/feedback")]
    public async Task An_unknown_service_id_gets_404(string path)
    {
        var response = await fixture.App.ClientFor(Caller.Clinician1).PostAsJsonAsync(path, Hook("demo-patient-08"));
        await response.ProblemAsync(404);
    }

    [Fact]
    public async Task Feedback_for_a_card_never_issued_is_refused_and_another_team_cannot_give_feedback()
    {
        var unknown = await fixture.App.ClientFor(Caller.Clinician1).PostAsJsonAsync($"{Service}/feedback",
            new { feedback = new[] { new { card = Guid.NewGuid().ToString(), outcome = "accepted" } } });
        await unknown.ProblemAsync(400);

        var card = (await CardsAsync("demo-patient-09"))[0].GetProperty("uuid").GetString();
        var otherTeam = await fixture.App.ClientFor(Caller.Clinician2).PostAsJsonAsync($"{Service}/feedback",
            new { feedback = new[] { new { card, outcome = "accepted" } } });
        await otherTeam.ProblemAsync(403);
    }

    [Fact]
    public async Task The_cds_endpoints_need_a_clinician_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Anonymous().GetAsync("/cds-services")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-08")).PostAsJsonAsync(Service, Hook("demo-patient-08"))).StatusCode);
    }

    internal static object BloodPressure(string id, int systolic, int diastolic, string date) => new
    {
        resourceType = "Observation", id, status = "final",
        category = new[] { new { coding = new[] { new { system = "http://terminology.hl7.org/CodeSystem/observation-category", code = "vital-signs" } } } },
        code = new { coding = new[] { new { system = "http://loinc.org", code = "85354-9" } } },
        subject = new { reference = "Patient/demo-patient-06" },
        effectiveDateTime = date,
        component = new[]
        {
            new { code = new { coding = new[] { new { system = "http://loinc.org", code = "8480-6" } } }, valueQuantity = new { value = systolic, unit = "mmHg", system = "http://unitsofmeasure.org", code = "mm[Hg]" } },
            new { code = new { coding = new[] { new { system = "http://loinc.org", code = "8462-4" } } }, valueQuantity = new { value = diastolic, unit = "mmHg", system = "http://unitsofmeasure.org", code = "mm[Hg]" } },
        },
    };
}

public sealed class CdsHooksContractTestsOnSqlite(SqliteApp fixture) : CdsHooksContractTests(fixture), IClassFixture<SqliteApp>;

public sealed class CdsHooksContractTestsOnPostgres(PostgresApp fixture) : CdsHooksContractTests(fixture), IClassFixture<PostgresApp>;
