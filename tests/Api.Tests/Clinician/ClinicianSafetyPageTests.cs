using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Benefit.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Benefit.Api.Tests.Clinician.ClinicianPage;
using static Microsoft.Playwright.Assertions;

namespace Benefit.Api.Tests.Clinician;

/// <summary>The safety picture first, in a real browser: alerts, what was withheld and why, clearance, the patient's own "not for me".</summary>
public sealed class ClinicianSafetyPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private Task<IPage> SignedInAsync(Caller caller, int width = 1280, int height = 900) => ClinicianPage.SignedInAsync(fixture, caller, width, height);

    [Fact]
    public async Task Demo_patient_06_opens_on_the_critical_blood_pressure_alert_and_what_was_withheld_and_why_before_the_suggestions()
    {
        var page = await SignedInAsync(Caller.Clinician1);
        await Expect(page.Locator(".caseload-link").First).ToHaveAttributeAsync("data-patient", "demo-patient-06");
        await Expect(page.Locator(".caseload-link").First).ToContainTextAsync("Critical · BP 184/112 mmHg");
        await page.Locator(".caseload-link").First.ClickAsync();

        var alerts = page.GetByRole(AriaRole.Region, new() { Name = "Alerts" });
        var bp = alerts.Locator("li.alert-critical[data-feature='BloodPressure']");
        await Expect(bp).ToContainTextAsync("Critical");
        await Expect(bp).ToContainTextAsync("BP 184/112 mmHg");
        await Expect(bp).ToContainTextAsync("on 9 Nov 2026");
        await Expect(bp).ToContainTextAsync("≥ 180/110 mmHg");
        await Expect(bp).ToContainTextAsync("Source: ESC");
        await Expect(alerts.Locator("li").First).ToHaveAttributeAsync("data-feature", "BloodPressure");

        var withheld = page.GetByRole(AriaRole.Region, new() { Name = "Withheld for safety" });
        var running = withheld.Locator("li[data-intervention='pa-running-start']");
        await Expect(running).ToContainTextAsync("Contraindicated");
        await Expect(running).ToContainTextAsync("Uncontrolled hypertension: BP 184/112 mmHg on 9 Nov 2026");
        await Expect(running).ToContainTextAsync("cannot be cleared");
        await Expect(running.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(withheld.Locator("li.withheld-needs-clearance").First.GetByRole(AriaRole.Button, new() { Name = "Clear for this patient" })).ToBeVisibleAsync();

        // Top first: alerts, then withheld, then the suggestions.
        Assert.True(await page.EvaluateAsync<bool>(@"() => {
            const [a, w, s] = ['alerts-title', 'withheld-title', 'suggestions-title'].map(id => document.getElementById(id));
            return !!(a.compareDocumentPosition(w) & Node.DOCUMENT_POSITION_FOLLOWING) && !!(w.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"));
        await SaveScreenshotAsync(page, "clinician-safety-first.png");
    }

    [Fact]
    public async Task The_caseload_can_be_searched_by_id_and_filtered_by_alert_level_keeping_the_triage_order()
    {
        var page = await SignedInAsync(Caller.Clinician1);
        var visible = page.Locator(".caseload-list li:not([hidden]) a.caseload-link");
        await Expect(visible).ToHaveCountAsync(20);

        await page.GetByLabel("Show").SelectOptionAsync("critical");
        await Expect(visible).ToHaveCountAsync(2);
        await Expect(visible.First).ToHaveAttributeAsync("data-patient", "demo-patient-06");
        await Expect(page.Locator("#caseload-status")).ToHaveTextAsync("2 of 20 patients");

        await page.GetByLabel("Show").SelectOptionAsync("");
        await page.GetByLabel("Find patient").FillAsync("patient-1");
        await Expect(visible).ToHaveCountAsync(10); // demo-patient-10 … 19
    }

    [Fact]
    public async Task Clear_for_this_patient_is_one_click_reaches_the_patients_own_list_is_audited_and_can_be_revoked()
    {
        const string id = "demo-patient-10", apnoea = "sl-apnoea-screening";
        var patientApi = fixture.App.ClientFor(Caller.PatientSelf(id));
        // One category only, so every allowed item of it is on the patient's list.
        Assert.Equal(HttpStatusCode.OK, (await patientApi.PutAsJsonAsync($"/patients/{id}/preferences", new { onlyCategory = "Sleep" })).StatusCode);
        async Task<bool> OnPatientsListAsync() => (await patientApi.GetFromJsonAsync<JsonElement>($"/patients/{id}/recommendations?limit=20"))
            .GetProperty("items").EnumerateArray().Any(i => i.GetProperty("interventionId").GetString() == apnoea);
        Assert.False(await OnPatientsListAsync());

        var page = await SignedInAsync(Caller.Clinician1);
        await page.GotoAsync($"/clinician#patient={id}");
        var item = page.GetByRole(AriaRole.Region, new() { Name = "Withheld for safety" }).Locator($"li.withheld[data-intervention='{apnoea}']");
        await Expect(item).ToContainTextAsync("Needs clearance");
        await item.GetByRole(AriaRole.Button, new() { Name = "Clear for this patient" }).ClickAsync();

        await Expect(page.Locator("#result")).ToContainTextAsync("Saved");
        await Expect(item).ToHaveCountAsync(0);
        var cleared = page.Locator($".cleared-list li[data-intervention='{apnoea}']");
        await Expect(cleared).ToContainTextAsync("cleared on");
        Assert.True(await OnPatientsListAsync());
        var audit = await fixture.App.ClientFor(Caller.Admin).GetFromJsonAsync<JsonElement>($"/audit?patient={id}");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), a => a.GetProperty("action").GetString() == "review.decide"
            && a.GetProperty("detail").GetString() == $"clear {apnoea}" && a.GetProperty("subject").GetString() == "demo-clinician-1");

        await cleared.GetByRole(AriaRole.Button, new() { Name = "Revoke clearance" }).ClickAsync();
        await Expect(page.Locator("#result")).ToContainTextAsync("withheld for this patient again");
        await Expect(item).ToContainTextAsync("Needs clearance");
        Assert.False(await OnPatientsListAsync());
    }

    [Fact]
    public async Task Adding_a_contraindicated_intervention_explains_that_it_is_withheld_and_why()
    {
        var page = await SignedInAsync(Caller.Clinician1);
        await page.GotoAsync("/clinician#patient=demo-patient-06");
        await page.GetByLabel("Intervention not suggested").SelectOptionAsync("pa-running-start");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();

        var result = page.Locator("#result");
        await Expect(result).ToContainTextAsync("Not saved");
        await Expect(result).ToContainTextAsync("withheld for this patient");
        await Expect(result).ToContainTextAsync("BP 184/112 mmHg on 9 Nov 2026");
        await Expect(result).ToContainTextAsync("cannot be cleared");
    }

    [Fact]
    public async Task A_declined_item_shows_the_patients_not_for_me_and_an_endorsement_does_not_override_it()
    {
        const string id = "demo-patient-13";
        var choice = await fixture.App.ClientFor(Caller.PatientSelf(id)).PostAsJsonAsync($"/patients/{id}/choices",
            new { interventionId = "pa-walking-group", kind = "not-for-me" });
        Assert.Equal(HttpStatusCode.Created, choice.StatusCode);
        var page = await SignedInAsync(Caller.Clinician1);
        await page.GotoAsync($"/clinician#patient={id}");

        var declined = page.Locator(".declined-list li[data-intervention='pa-walking-group']");
        await Expect(declined).ToContainTextAsync("patient said “not for me” on");
        await page.GetByLabel("Intervention not suggested").SelectOptionAsync("pa-walking-group");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();

        await Expect(page.Locator("#result")).ToContainTextAsync("That stands");
        await Expect(declined).ToContainTextAsync("the patient's choice stands and the endorsement does not override it");
    }
}
