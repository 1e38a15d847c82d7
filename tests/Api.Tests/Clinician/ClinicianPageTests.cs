using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Benefit.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Benefit.Api.Tests.Clinician.ClinicianPage;
using static Microsoft.Playwright.Assertions;

namespace Benefit.Api.Tests.Clinician;

/// <summary>The review page in a real browser: decisions, keyboard and screen-reader use, tablets, language, sign-in.</summary>
public sealed class ClinicianPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Patient = "demo-patient-02";

    private Task<IPage> SignedInAsync(Caller caller, int width = 1280, int height = 900) => ClinicianPage.SignedInAsync(fixture, caller, width, height);

    [Fact]
    public async Task A_clinician_endorses_one_suggestion_and_hides_another_and_both_survive_a_reload()
    {
        var page = await SignedInAsync(Caller.Clinician1);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"^{Patient}") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Patient {Patient}", Level = 1 })).ToBeVisibleAsync();

        var suggestions = page.Locator("li.suggestion");
        await Expect(suggestions.First).ToBeVisibleAsync();
        var first = await suggestions.Nth(0).GetAttributeAsync("data-intervention");
        var second = await suggestions.Nth(1).GetAttributeAsync("data-intervention");

        await Suggestion(page, first!).GetByRole(AriaRole.Button, new() { Name = "Endorse" }).ClickAsync();
        await Expect(page.Locator("#result")).ToContainTextAsync("Saved");
        await Expect(Suggestion(page, first!)).ToContainTextAsync("Endorsed by care team");

        await Suggestion(page, second!).GetByRole(AriaRole.Button, new() { Name = "Hide for this patient" }).ClickAsync();
        await Expect(Suggestion(page, second!)).ToHaveCountAsync(0);
        await Expect(page.Locator($".hidden-list li[data-intervention='{second}']")).ToBeVisibleAsync();

        await page.ReloadAsync();

        await Expect(Suggestion(page, first!)).ToContainTextAsync("Endorsed by care team");
        await Expect(Suggestion(page, second!)).ToHaveCountAsync(0);
        await Expect(page.Locator($".hidden-list li[data-intervention='{second}']")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Care team decisions" })).ToContainTextAsync("Endorsed");
        await Expect(page.Locator("#caseload-status")).ToHaveTextAsync("20 patients");
        Assert.Empty(errors); // includes Content-Security-Policy violations
        await SaveScreenshotAsync(page, "clinician-patient-view.png");
    }

    [Fact]
    public async Task A_Dutch_browser_gets_Dutch_labels_and_the_switch_turns_them_English()
    {
        var page = await fixture.NewPageAsync(locale: "nl-NL");
        await page.GotoAsync("/clinician#patient=demo-patient-06");
        await page.GetByLabel("Access token").FillAsync(BenefitApplication.Token(Caller.Clinician1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Mijn patiënten" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Patiënt demo-patient-06", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Meldingen" }).Locator("li.alert-critical")).ToContainTextAsync("Kritiek");
        var withheld = page.GetByRole(AriaRole.Region, new() { Name = "Achtergehouden voor de veiligheid" });
        await Expect(withheld.GetByRole(AriaRole.Button, new() { Name = "Vrijgeven voor deze patiënt" }).First).ToBeVisibleAsync();
        Assert.Equal("nl", await page.EvaluateAsync<string>("() => document.documentElement.lang"));

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Alerts" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "My patients" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_patient_outside_the_care_team_shows_a_not_on_your_care_team_message()
    {
        var page = await SignedInAsync(Caller.Clinician1);
        await page.GotoAsync("/clinician#patient=demo-patient-21");

        var alert = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Not on your care team" });
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert).ToContainTextAsync("demo-patient-21 is not on your care team");
        await Expect(page.Locator("li.suggestion")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task On_a_tablet_the_patient_view_shows_dated_measurements_and_trend_charts_a_screen_reader_can_read()
    {
        var page = await SignedInAsync(Caller.Clinician1, 768, 1024);
        await page.GotoAsync($"/clinician#patient=demo-patient-03");

        var tiles = page.GetByRole(AriaRole.List, new() { Name = "Latest measurements" });
        await Expect(tiles.Locator("li").First).ToContainTextAsync(new Regex(@"on \d{1,2} \w{3} \d{4}"));
        var charts = page.Locator("figure.trend svg[role='img']");
        await Expect(charts.First).ToHaveAttributeAsync("aria-label", new Regex("readings from"));
        await Expect(page.GetByText(new Regex("^Model "))).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling");
    }

    [Fact]
    public async Task Trend_charts_have_a_value_axis_with_units_dates_the_target_band_the_latest_value_and_a_table()
    {
        var page = await SignedInAsync(Caller.Clinician1);
        await page.GotoAsync("/clinician#patient=demo-patient-06");

        var bp = page.Locator("figure.trend").Filter(new() { HasText = "Blood pressure (mmHg)" });
        await Expect(bp.Locator("svg .chart-band")).ToHaveCountAsync(2);
        await Expect(bp.Locator("svg .chart-unit")).ToHaveTextAsync("mmHg");
        await Expect(bp.Locator("svg .chart-tick")).ToHaveCountAsync(5); // three values and two dates
        await Expect(bp.Locator("svg .chart-date").Last).ToHaveTextAsync("9 Nov 2026");
        await Expect(bp.Locator("svg .chart-latest.line-a")).ToHaveTextAsync("184");
        await Expect(bp.Locator("svg .chart-latest.line-b")).ToHaveTextAsync("112");
        await Expect(bp.Locator("table tbody tr").First).ToContainTextAsync(new Regex(@"\d{1,2} \w{3} \d{4}"));
        Assert.True(await page.Locator("figure.trend").CountAsync() > 3, "every measured series with two readings gets a chart");

        // Honest scale: steps of 6,600 -> 7,800 span well under the full height of the chart.
        var steps = page.Locator("figure.trend").Filter(new() { HasText = "Steps a day" });
        var ticks = await steps.Locator("svg .chart-tick:not(.chart-date)").AllTextContentsAsync();
        var values = ticks.Select(t => double.Parse(t.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(values.Max() - values.Min() >= 3500, $"the value axis spans {values.Min()}–{values.Max()}");
    }

    [Fact]
    public async Task A_note_and_an_added_intervention_need_no_justification_and_show_at_once()
    {
        var page = await SignedInAsync(Caller.Clinician1);
        await page.GotoAsync("/clinician#patient=demo-patient-04");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Patient demo-patient-04" })).ToBeVisibleAsync();

        await page.GetByLabel("Note for the care team").FillAsync("Discussed walking with her daughter.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Care team decisions" })).ToContainTextAsync("Discussed walking");

        var option = await page.GetByLabel("Intervention not suggested").InputValueAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(page.Locator("#result")).ToContainTextAsync("Added");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Care team decisions" }).Locator("li").First).ToContainTextAsync("Added");
        Assert.False(string.IsNullOrEmpty(option));
    }

    [Fact]
    public async Task A_clinician_can_open_a_patient_and_endorse_a_suggestion_with_the_keyboard_alone()
    {
        var page = await SignedInAsync(Caller.Clinician1);
        await page.ReloadAsync();
        await Expect(page.Locator(".caseload-link").First).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveTextAsync("Skip to content");
        await TabUntilAsync(page, "a.caseload-link[data-patient='demo-patient-08']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#patient-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#patient-title")).ToHaveTextAsync("Patient demo-patient-08");

        await TabUntilAsync(page, "li.suggestion button.btn-primary");
        var chosen = await page.EvaluateAsync<string>("() => document.activeElement.closest('li.suggestion').dataset.intervention");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#result")).ToBeFocusedAsync();
        await Expect(page.Locator("#result")).ToContainTextAsync("Saved");
        await Expect(Suggestion(page, chosen)).ToContainTextAsync("Endorsed by care team");
    }

    private static async Task TabUntilAsync(IPage page, string selector)
    {
        for (var i = 0; i < 80; i++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
                return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached {selector}");
    }

    [Fact]
    public async Task The_page_is_served_with_a_content_security_policy_and_without_a_token_asks_to_sign_in()
    {
        var page = await fixture.NewPageAsync();
        var response = await page.GotoAsync("/clinician");

        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        Assert.Contains("script-src 'self'", (await response.AllHeadersAsync())["content-security-policy"]);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "My patients" })).ToBeHiddenAsync();
    }
}
