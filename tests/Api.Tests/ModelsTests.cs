using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Data;
using Benefit.Api.Jobs;
using Benefit.Api.Models;
using Benefit.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Api.Tests;

/// <summary>The nightly retrain end to end: each test gets its own service and database, the clock is fake.</summary>
public sealed class ModelsTests
{
    private static BenefitApplication NewApp(double tolerance = 1.0, bool shuffled = false, DatabaseKind kind = DatabaseKind.Sqlite, string? connection = null) =>
        new(kind, connection, new Dictionary<string, string?>
        {
            ["Models:Retrain:Tolerance"] = tolerance.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Models:Retrain:ShuffleLabels"] = shuffled ? "true" : "false",
            // Tonight's retrain may learn from this morning's answers (in production they settle for 14 days first).
            ["Models:Retrain:SettleDays"] = "0",
        });

    private static async Task<string> RunAsync<TJob>(BenefitApplication app, string night) where TJob : GuardedJob
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TJob>().RunAsync(night, CancellationToken.None);
    }

    /// <summary>
    /// Live outcomes the retrain can learn from: a few demo patients open the app and say "not for me" to their first
    /// suggestion (decided at once, so tonight's retrain sees them).
    /// </summary>
    private static async Task AnswerSomeListsAsync(BenefitApplication app, int patients = 6)
    {
        for (var n = 20; n < 20 + patients; n++)
        {
            var id = $"demo-patient-{n:00}";
            var client = app.ClientFor(Caller.PatientSelf(id));
            var list = await (await client.GetAsync($"/patients/{id}/recommendations")).JsonAsync();
            var first = list.GetProperty("items")[0].GetProperty("interventionId").GetString();
            (await client.PostAsJsonAsync($"/patients/{id}/choices",
                new { interventionId = first, kind = "not-for-me", listId = list.GetProperty("listId").GetString() })).EnsureSuccessStatusCode();
        }
    }

    private static async Task<string> ServedVersion(BenefitApplication app) =>
        (await (await app.ClientFor(Caller.PatientSelf("demo-patient-05")).GetAsync("/patients/demo-patient-05/recommendations")).JsonAsync())
            .GetProperty("modelVersion").GetString()!;

    [Fact]
    public async Task A_whole_night_syncs_retrains_and_promotes_with_a_fake_clock()
    {
        await using var app = NewApp();
        var ds = app.ClientFor(Caller.DataScientist);
        var before = await ServedVersion(app);
        await AnswerSomeListsAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(16)); // 01:00 Amsterdam on 4 Nov
        var night = "2026-11-04";

        Assert.Contains("40 patients", await RunAsync<FhirSyncJob>(app, night));
        app.Clock.Advance(TimeSpan.FromMinutes(90));
        var summary = await RunAsync<RetrainJob>(app, night);

        Assert.Contains("promoted", summary);
        Assert.Equal(night, await ServedVersion(app));
        var models = (await (await ds.GetAsync("/models")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal("champion", models.Single(m => m.GetProperty("version").GetString() == night).GetProperty("status").GetString());
        Assert.Equal("retired", models.Single(m => m.GetProperty("version").GetString() == before).GetProperty("status").GetString());
        var card = await (await ds.GetAsync($"/models/{night}")).JsonAsync();
        Assert.Equal(42, card.GetProperty("card").GetProperty("hyperparameters").GetProperty("seed").GetInt32());
        Assert.True(card.GetProperty("card").GetProperty("trainRows").GetInt32() > 1000);
        var report = await ds.GetAsync($"/models/{night}/report");
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<img", await report.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_challenger_trained_on_shuffled_labels_is_rejected_with_its_reason_and_the_champion_keeps_serving()
    {
        await using var app = NewApp();
        await AnswerSomeListsAsync(app);
        Assert.Contains("promoted", await RunAsync<RetrainJob>(app, "2026-11-04"));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetrainOptions>>().Value;
            options.Tolerance = 0.01;
            options.ShuffleLabels = true;
        }
        var summary = await RunAsync<RetrainJob>(app, "2026-11-05");

        Assert.Contains("rejected", summary);
        Assert.Equal("2026-11-04", await ServedVersion(app));
        var card = await (await app.ClientFor(Caller.DataScientist).GetAsync("/models/2026-11-05-shuffled")).JsonAsync();
        Assert.Equal("rejected", card.GetProperty("status").GetString());
        Assert.Contains("nDCG@5 fell", card.GetProperty("card").GetProperty("decision").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Rollback_restores_the_previous_champions_answers()
    {
        await using var app = NewApp();
        var patient = app.ClientFor(Caller.PatientSelf("demo-patient-03"));
        var original = await (await patient.GetAsync("/patients/demo-patient-03/recommendations?limit=10")).JsonAsync();
        await AnswerSomeListsAsync(app);
        Assert.Contains("promoted", await RunAsync<RetrainJob>(app, "2026-11-04"));

        var rolledBack = await app.ClientFor(Caller.DataScientist).PostAsync("/models/rollback", null);

        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        var after = await (await patient.GetAsync("/patients/demo-patient-03/recommendations?limit=10")).JsonAsync();
        Assert.Equal(original.GetProperty("modelVersion").GetString(), after.GetProperty("modelVersion").GetString());
        Assert.Equal(Ids(original), Ids(after));
        Assert.Equal(Scores(original), Scores(after));

        static string[] Ids(System.Text.Json.JsonElement l) => [.. l.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("interventionId").GetString()!)];
        static float[] Scores(System.Text.Json.JsonElement l) => [.. l.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("score").GetSingle())];
    }

    [Fact]
    public async Task A_run_killed_mid_training_leaves_the_champion_serving_and_the_next_attempt_completes()
    {
        await using var app = NewApp();
        var champion = await ServedVersion(app);
        await AnswerSomeListsAsync(app);
        var guard = app.Services.GetRequiredService<JobRunGuard>();
        // What a killed process leaves behind: a claimed run whose lease will lapse, and a half-written model folder.
        Assert.Equal(ClaimOutcome.Claimed, await guard.TryClaimAsync(RetrainJob.JobName, "2026-11-04", TimeSpan.FromMinutes(30), CancellationToken.None));
        var work = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ModelOptions>>().Value.WorkDirectory;
        Directory.CreateDirectory(Path.Combine(work, ".tmp-2026-11-04-dead"));

        Assert.Equal(nameof(ClaimOutcome.HeldByAnother), await RunAsync<RetrainJob>(app, "2026-11-04"));
        Assert.Equal(champion, await ServedVersion(app));

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Contains("promoted", await RunAsync<RetrainJob>(app, "2026-11-04"));
        Assert.Equal("2026-11-04", await ServedVersion(app));
        using var scope = app.Services.CreateScope();
        var run = await scope.ServiceProvider.GetRequiredService<BenefitDb>().JobRuns.SingleAsync(r => r.Job == RetrainJob.JobName);
        Assert.Equal(("succeeded", 2), (run.Status, run.Attempts));
    }

    [Fact]
    public async Task Two_API_instances_sharing_one_PostgreSQL_database_retrain_tonight_exactly_once()
    {
        await using var first = NewApp(kind: DatabaseKind.Postgres);
        await using var second = NewApp(kind: DatabaseKind.Postgres, connection: first.ConnectionString);
        _ = first.Server;
        _ = second.Server;
        await AnswerSomeListsAsync(first);

        var outcomes = await Task.WhenAll(RunAsync<RetrainJob>(first, "2026-11-04"), RunAsync<RetrainJob>(second, "2026-11-04"),
            RunAsync<RetrainJob>(first, "2026-11-04"), RunAsync<RetrainJob>(second, "2026-11-04"));

        Assert.Single(outcomes, o => o.Contains("promoted") || o.Contains("rejected"));
        using var scope = first.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<BenefitDb>().ModelVersions.CountAsync(m => m.Version == "2026-11-04"));
        // The other instance follows the promotion by polling the database.
        await second.Services.GetRequiredService<ModelServing>().RefreshAsync(CancellationToken.None);
        Assert.Equal("2026-11-04", await ServedVersion(second));
    }
}

public sealed class ModelsApiTests(SqliteApp fixture) : IClassFixture<SqliteApp>
{
    private HttpClient DataScientist => fixture.App.ClientFor(Caller.DataScientist);

    [Fact]
    public async Task The_registry_lists_the_shipped_default_as_champion_with_headline_metrics()
    {
        var models = (await (await DataScientist.GetAsync("/models")).JsonAsync()).EnumerateArray().ToList();
        var champion = Assert.Single(models, m => m.GetProperty("status").GetString() == "champion");
        Assert.True(champion.GetProperty("ndcg5").GetDouble() > 0);
    }

    [Theory]
    [InlineData("GET", "/models/no-such-version", 404)]
    [InlineData("GET", "/models/no-such-version/report", 404)]
    [InlineData("POST", "/models/no-such-version/promote", 404)]
    public async Task Unknown_versions_get_404_problems(string method, string url, int status) =>
        await (await DataScientist.SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).ProblemAsync(status);

    [Fact]
    public async Task Promoting_the_champion_again_or_rolling_back_without_a_predecessor_is_a_conflict()
    {
        var champion = (await (await DataScientist.GetAsync("/models")).JsonAsync()).EnumerateArray()
            .Single(m => m.GetProperty("status").GetString() == "champion").GetProperty("version").GetString();
        await (await DataScientist.PostAsync($"/models/{champion}/promote", null)).ProblemAsync(409);
        await (await DataScientist.PostAsync("/models/rollback", null)).ProblemAsync(409);
    }

    [Fact]
    public async Task A_retrain_is_queued_with_its_job_location_and_a_second_while_one_runs_is_a_conflict()
    {
        var queued = await DataScientist.PostAsync("/models/retrain", null);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.StartsWith("/jobs/jobs/details/", queued.Headers.Location?.OriginalString);

        var guard = fixture.App.Services.GetRequiredService<JobRunGuard>();
        await guard.TryClaimAsync(RetrainJob.JobName, "busy-night", TimeSpan.FromHours(1), CancellationToken.None);
        await (await DataScientist.PostAsync("/models/retrain", null)).ProblemAsync(409);
    }

    [Theory]
    [InlineData("patient")]
    [InlineData("clinician")]
    [InlineData("provider")]
    public async Task Only_data_scientists_use_the_model_registry(string role)
    {
        var caller = role switch { "patient" => Caller.PatientSelf("demo-patient-01"), "clinician" => Caller.Clinician1, _ => Caller.ProviderGym };
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.ClientFor(caller).GetAsync("/models")).StatusCode);
    }
}
