using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Benefit.Api.Data;
using Benefit.Api.Models;
using Benefit.Api.Recommendations;
using Benefit.Api.Tests.Infrastructure;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Learning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Api.Tests;

/// <summary>
/// The learning loop through the real API: lists served and stored with their context, patients choosing, providers
/// reporting sessions of the intervention, and the nightly retrain learning from exactly those rows.
/// </summary>
public sealed class LearningLoopTests
{
    private static readonly Dictionary<string, string> Deliverer = JsonDocument.Parse(File.ReadAllText(Path.Combine(Security.RoleTableRow.RepositoryRoot(), "data", "provider-interventions.json")))
        .RootElement.GetProperty("providers").EnumerateArray()
        .SelectMany(p => p.GetProperty("interventions").EnumerateArray().Select(i => (Item: i.GetString()!, Provider: p.GetProperty("id").GetString()!)))
        .GroupBy(x => x.Item).ToDictionary(g => g.Key, g => g.First().Provider);

    private static BenefitApplication NewApp(DatabaseKind kind, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Models:Retrain:UsePrior"] = "false", ["Models:Retrain:HoldoutWeeks"] = "1", ["Models:Retrain:MinimumLiveHoldout"] = "5",
            ["Models:Retrain:MinimumLivePositives"] = "0", ["Models:Retrain:Tolerance"] = "1", ["Models:Retrain:SettleDays"] = "0",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return new BenefitApplication(kind, settings: settings);
    }

    private static async Task<string> RetrainAsync(BenefitApplication app, string night)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<RetrainJob>().RunAsync(night, CancellationToken.None);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task The_retrain_learns_from_served_lists_choices_and_reported_sessions_and_never_from_patients_without_training_consent(DatabaseKind kind)
    {
        await using var app = NewApp(kind);
        var catalog = app.Services.GetRequiredService<InterventionCatalog>();
        (await app.ClientFor(Caller.PatientSelf("demo-patient-30")).PutAsJsonAsync("/patients/demo-patient-30/consent",
            new { personalisation = true, training = false })).EnsureSuccessStatusCode();
        var start = app.Clock.GetUtcNow();

        // Week 0: everyone opens the app; even patients enrol in their first suggestion, odd ones say "not for me".
        var enrolled = new List<(string Patient, Intervention Item)>();
        for (var n = 1; n <= 40; n++)
        {
            var id = $"demo-patient-{n:00}";
            var (listId, first) = await OpenAppAsync(app, id);
            var kind_ = n % 2 == 0 ? "enrol" : "not-for-me";
            (await app.ClientFor(Caller.PatientSelf(id)).PostAsJsonAsync($"/patients/{id}/choices", new { interventionId = first, kind = kind_, listId }))
                .EnsureSuccessStatusCode();
            if (kind_ == "enrol") enrolled.Add((id, catalog.Find(first)!));
        }
        // Two weeks of sessions, reported by the provider that delivers each intervention, the week they happen.
        for (var week = 0; week < 2; week++)
        {
            app.Clock.Advance(TimeSpan.FromDays(7));
            foreach (var (patient, item) in enrolled)
            {
                var provider = app.ClientFor(new Caller($"{Deliverer[item.Id]}-staff", "provider", Provider: Deliverer[item.Id]));
                for (var s = 0; s < item.Intensity.SessionsPerWeek; s++)
                {
                    var at = start.AddDays(7 * week + s * 7.0 / item.Intensity.SessionsPerWeek).AddHours(2);
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/activities")
                    {
                        Content = JsonContent.Create(new
                        {
                            patientId = patient, activityType = "exercise-session", occurredAt = at, externalEventId = $"{patient}-{item.Id}-{week}-{s}",
                            interventionId = item.Id,
                        }),
                    };
                    request.Headers.Add("Idempotency-Key", $"{patient}-{week}-{s}");
                    Assert.Equal(HttpStatusCode.OK, (await provider.SendAsync(request)).StatusCode);
                }
            }
        }
        // Week 2: a second list, declined at once, so the last week has outcomes to judge on.
        for (var n = 1; n <= 40; n++)
        {
            var id = $"demo-patient-{n:00}";
            var (listId, first) = await OpenAppAsync(app, id);
            (await app.ClientFor(Caller.PatientSelf(id)).PostAsJsonAsync($"/patients/{id}/choices", new { interventionId = first, kind = "not-for-me", listId }))
                .EnsureSuccessStatusCode();
        }
        app.Clock.Advance(TimeSpan.FromDays(1));
        var night = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddDays(1)).ToString("yyyy-MM-dd");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var live = await scope.ServiceProvider.GetRequiredService<LiveTrainingData>().LoadAsync(app.Clock.GetUtcNow(), new OutcomeRuleOptions(), CancellationToken.None);
            Assert.DoesNotContain(live.Rows, r => r.PatientId == "demo-patient-30");
            Assert.True(await scope.ServiceProvider.GetRequiredService<BenefitDb>().ServedLists.CountAsync(l => l.PatientId == "demo-patient-30") == 2);
            // Enrolled and on pace after two weeks: kept up (provisionally); the declines are declined.
            Assert.Equal(enrolled.Count(e => e.Patient != "demo-patient-30"), live.Rows.Count(r => r.Label));
            Assert.Equal(1, live.PatientsWithheld);
        }

        var summary = await RetrainAsync(app, night);
        Assert.Contains("judged on the live holdout", summary);
        var card = (await (await app.ClientFor(Caller.DataScientist).GetAsync($"/models/{night}")).JsonAsync()).GetProperty("card");
        var learning = card.GetProperty("learning");
        Assert.True(learning.GetProperty("liveTrainRows").GetInt32() >= 35);
        Assert.Equal(0, learning.GetProperty("priorRowsUsed").GetInt32());
        Assert.Equal(card.GetProperty("trainRows").GetInt32(), learning.GetProperty("liveTrainRows").GetInt32());
        Assert.Equal(1, card.GetProperty("patientsWithheldForConsent").GetInt32());
        Assert.Equal(2, learning.GetProperty("offPolicy").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(card.GetProperty("decision").GetProperty("decidedBy").GetString()));
    }

    [Fact]
    public async Task A_retrain_with_no_settled_live_outcome_keeps_the_champion_and_trains_nothing()
    {
        await using var app = NewApp(DatabaseKind.Sqlite, new() { ["Models:Retrain:UsePrior"] = "true", ["Models:Retrain:SettleDays"] = "14" });
        var before = await ServedVersionAsync(app);
        await OpenAppAsync(app, "demo-patient-04"); // shown, but nobody answered yet: not an outcome
        var (listId, first) = await OpenAppAsync(app, "demo-patient-07"); // answered today: decided, but not settled for 14 days
        (await app.ClientFor(Caller.PatientSelf("demo-patient-07")).PostAsJsonAsync("/patients/demo-patient-07/choices",
            new { interventionId = first, kind = "not-for-me", listId })).EnsureSuccessStatusCode();

        var summary = await RetrainAsync(app, "2026-11-04");

        Assert.StartsWith($"kept {before}: no live outcomes settled before 2026-10-21", summary);
        Assert.Equal(before, await ServedVersionAsync(app));
        using var scope = app.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<BenefitDb>().ModelVersions.CountAsync());
    }

    [Fact]
    public async Task A_served_list_is_stored_once_with_its_context_and_each_item_with_its_propensity_and_exploration_is_honest()
    {
        await using var app = NewApp(DatabaseKind.Sqlite, new() { ["Recommendations:ExplorationShare"] = "0.5" });
        var patient = app.ClientFor(Caller.PatientSelf("demo-patient-05"));
        var explored = 0;
        for (var n = 0; n < 30; n++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1)); // the draw is keyed by patient and moment
            var list = await (await patient.GetAsync("/patients/demo-patient-05/recommendations?limit=3")).JsonAsync();
            var last = list.GetProperty("items")[2];
            if (last.GetProperty("explored").GetBoolean())
            {
                explored++;
                Assert.Contains(last.GetProperty("reasons")[0].GetString(), new[] { Benefit.Recommender.Serving.Exploration.NewReason, Benefit.Recommender.Serving.Exploration.TryReason });
            }
        }
        Assert.InRange(explored, 5, 25);

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        var lists = await db.ServedLists.Where(l => l.PatientId == "demo-patient-05").ToListAsync();
        Assert.Equal(30, lists.Count);
        Assert.All(lists, l => Assert.Equal(0.5, l.ExplorationShare));
        var context = ServedContextJson.Read(lists[0].ContextJson);
        Assert.Equal(("demo-patient-05", true), (context.PatientId, context.Observations.Count > 3));
        var impressions = await db.Impressions.Where(i => i.PatientId == "demo-patient-05").ToListAsync();
        Assert.Equal(90, impressions.Count);
        Assert.Equal(explored, impressions.Count(i => i.Explored));
        Assert.All(impressions.Where(i => i.Explored), i => Assert.InRange(i.Propensity, 0.001, 0.5));
        Assert.All(impressions.Where(i => i.Rank < 3), i => Assert.Equal(1, i.Propensity));
    }

    [Fact]
    public async Task Suggestions_passed_over_twice_without_an_answer_rest_below_the_others_and_an_answer_ends_the_rest()
    {
        await using var app = NewApp(DatabaseKind.Sqlite);
        var first = await TopThreeAsync(app);
        Assert.Equal(first, await TopThreeAsync(app)); // shown once: unchanged
        var third = await TopThreeAsync(app);
        Assert.Empty(third.Intersect(first)); // shown in two lists with no answer: resting

        (await app.ClientFor(Caller.PatientSelf("demo-patient-05")).PostAsJsonAsync("/patients/demo-patient-05/choices",
            new { interventionId = first[0], kind = "not-now" })).EnsureSuccessStatusCode();
        // "Not now" is an answer: that item is off the list for a while by the patient's own choice, not resting.
        Assert.DoesNotContain(first[0], await TopThreeAsync(app));
    }

    private static async Task<string[]> TopThreeAsync(BenefitApplication app)
    {
        var list = await (await app.ClientFor(Caller.PatientSelf("demo-patient-05")).GetAsync("/patients/demo-patient-05/recommendations?limit=3")).JsonAsync();
        return [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("interventionId").GetString()!)];
    }

    [Fact]
    public async Task Without_any_model_the_guideline_rules_serve_instead_of_an_error()
    {
        var empty = Directory.CreateTempSubdirectory("benefit-no-model-").FullName;
        await using var app = NewApp(DatabaseKind.Sqlite, new() { ["Models:DefaultModelDirectory"] = empty });
        var response = await app.ClientFor(Caller.PatientSelf("demo-patient-06")).GetAsync("/patients/demo-patient-06/recommendations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await response.JsonAsync();
        Assert.Equal("guideline-rules", list.GetProperty("modelVersion").GetString());
        Assert.NotEqual(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_live_training_set_exports_as_a_pseudonymised_cohort_that_benefit_ml_can_train_on_and_the_export_is_audited()
    {
        await using var app = NewApp(DatabaseKind.Sqlite);
        for (var n = 1; n <= 8; n++)
        {
            var id = $"demo-patient-{n:00}";
            var (listId, first) = await OpenAppAsync(app, id);
            (await app.ClientFor(Caller.PatientSelf(id)).PostAsJsonAsync($"/patients/{id}/choices", new { interventionId = first, kind = "not-for-me", listId }))
                .EnsureSuccessStatusCode();
        }
        app.Clock.Advance(TimeSpan.FromHours(1));

        var response = await app.ClientFor(Caller.DataScientist).GetAsync("/models/training-set");
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var folder = Directory.CreateTempSubdirectory("benefit-export-").FullName;
        using (var zip = new ZipArchive(await response.Content.ReadAsStreamAsync()))
            zip.ExtractToDirectory(folder);
        var text = File.ReadAllText(Path.Combine(folder, "interactions.csv")) + File.ReadAllText(Path.Combine(folder, "profiles.csv"));
        Assert.DoesNotContain("demo-patient", text);
        var rows = Benefit.Recommender.Training.TrainingRun.LoadCohort(folder, app.Services.GetRequiredService<InterventionCatalog>());
        Assert.Equal(8, rows.Count);
        Assert.Equal(8, rows.Select(r => r.PatientId).Distinct().Count());
        Assert.All(rows, r => Assert.False(r.Label));
        using var scope = app.Services.CreateScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<BenefitDb>().AuditEntries.AnyAsync(a => a.Action == "models.training-set.export"));
    }

    private static async Task<(string ListId, string First)> OpenAppAsync(BenefitApplication app, string id)
    {
        var list = await (await app.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/recommendations?limit=3")).JsonAsync();
        return (list.GetProperty("listId").GetString()!, list.GetProperty("items")[0].GetProperty("interventionId").GetString()!);
    }

    private static async Task<string> ServedVersionAsync(BenefitApplication app) =>
        (await (await app.ClientFor(Caller.PatientSelf("demo-patient-05")).GetAsync("/patients/demo-patient-05/recommendations")).JsonAsync())
            .GetProperty("modelVersion").GetString()!;
}
