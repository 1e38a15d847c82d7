using System.Globalization;
using Benefit.Api.Jobs;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Learning;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Training;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Models;

/// <summary>
/// 02:30 — learn from what patients in this service did: the served lists, choices and reported sessions before tonight's
/// cutoff become outcomes (<see cref="LiveTrainingData"/>); a challenger trains on them (with the bootstrap prior while they
/// are few); challenger and champion are judged on the same holdout; the gate decides. No live outcome at all: the champion
/// stays and nothing is trained.
/// </summary>
public sealed class RetrainJob(
    IServiceScopeFactory scopes, InterventionCatalog catalog, ModelServing serving, IOptions<RetrainOptions> retrain, IOptions<ModelOptions> models,
    JobRunGuard guard, IOptions<JobsOptions> jobs, IHostEnvironment host, TimeProvider clock, ILogger<RetrainJob> logger) : GuardedJob(guard, jobs.Value, clock, logger)
{
    public const string JobName = "retrain";
    protected override string Name => JobName;

    protected override async Task<string> ExecuteAsync(string runKey, CancellationToken ct)
    {
        var options = retrain.Value;
        // Frozen inputs: the same run key, data and seed reproduce the same model on a retry.
        var cutoff = RunCutoff(runKey);
        LiveTrainingSet live;
        await using (var scope = scopes.CreateAsyncScope())
            live = await scope.ServiceProvider.GetRequiredService<LiveTrainingData>().LoadAsync(cutoff, options.OutcomeRules(), ct);
        logger.LogInformation("Retrain {RunKey}: {Rows} live outcomes before {Cutoff:yyyy-MM-dd} from {Exposures} exposures ({Undecided} not decided yet); {Withheld} patients withheld for lack of training consent",
            runKey, live.Rows.Count, cutoff, live.Exposures, live.Undecided, live.PatientsWithheld);
        var champion = serving.Ranker?.Current;
        if (live.Rows.Count == 0)
            return $"kept {champion?.Version ?? "the guideline rules"}: no live outcomes settled before {cutoff.AddDays(-options.SettleDays):yyyy-MM-dd} ({live.Exposures} exposures, {live.Undecided} not decided yet)";

        // The prior is generated, not anyone's record: consent filters the live rows (LiveTrainingData), not these.
        var prior = options.UsePrior ? LoadPrior(options).Where(e => e.Timestamp < cutoff).ToList() : [];
        var version = $"{runKey}{(options.ShuffleLabels ? "-shuffled" : "")}";
        var notes = new Dictionary<string, object?>
        {
            ["patientsWithheldForConsent"] = live.PatientsWithheld, ["runCutoff"] = cutoff, ["liveExposures"] = live.Exposures,
            ["liveUndecided"] = live.Undecided, ["liveOutcomes"] = live.ByOutcome, ["settledBefore"] = cutoff.AddDays(-options.SettleDays),
        };
        NightlyTrainingResult run;
        try
        {
            run = NightlyTraining.Run(new TrainingInputs(live.Rows, prior), catalog, champion, version,
                new NightlyTrainingOptions
                {
                    Seed = options.Seed, HoldoutWeeks = options.HoldoutWeeks, PriorHoldoutWeeks = options.PriorHoldoutWeeks, Tolerance = options.Tolerance,
                    ShuffleLabels = options.ShuffleLabels, MinimumLiveHoldout = options.MinimumLiveHoldout,
                    MinimumLivePositives = options.MinimumLivePositives, PriorFadeRows = options.UsePrior ? options.PriorFadeRows : 0,
                },
                Clock.GetUtcNow(), options.UsePrior ? $"live outcomes + prior {options.PriorData}" : "live outcomes", notes, ct);
        }
        catch (InvalidOperationException e) when (prior.Count == 0)
        {
            return $"kept {champion?.Version ?? "the guideline rules"}: {live.Rows.Count} live outcomes, {e.Message}";
        }
        var decision = run.Decision;
        var store = new ModelStore(new ModelStoreOptions { Root = Path.Combine(host.ContentRootPath, models.Value.WorkDirectory) });
        store.Save(run.Model, run.Card, run.ReportHtml, replace: true);
        var cardJson = run.CardJson;
        File.WriteAllText(store.PathOf(version, ModelStore.CardFile), cardJson);

        await using (var scope = scopes.CreateAsyncScope())
        {
            var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
            await registry.AddAsync(version, cardJson, run.ReportHtml, await File.ReadAllBytesAsync(store.PathOf(version, ModelStore.ModelFile), ct),
                decision, ct);
        }
        if (decision.Promote)
            await serving.RefreshAsync(ct);
        var learning = run.Learning;
        return $"{version}: {decision.Reason}; learned from {learning.LiveTrainRows} live and {learning.PriorRowsUsed} prior rows, judged on the {learning.JudgedOn}; {live.PatientsWithheld} patients withheld (no training consent)";
    }

    /// <summary>The bootstrap prior, generated with the configured seed when the folder has none.</summary>
    private List<TrainingExample> LoadPrior(RetrainOptions options)
    {
        var data = Path.Combine(host.ContentRootPath, options.PriorData);
        if (!File.Exists(Path.Combine(data, "interactions.csv")))
        {
            logger.LogInformation("No prior at {Path}; generating a cohort with seed {Seed}", data, options.Seed);
            new CohortGenerator(catalog, new CohortOptions { Patients = options.CohortPatients, Interactions = options.CohortInteractions, Seed = options.Seed, FhirPatients = 0 })
                .Write(data);
        }
        return TrainingRun.LoadCohort(data, catalog);
    }

    /// <summary>Local midnight at the start of the run's night: nothing measured after it is used, whenever the retry runs.</summary>
    private DateTimeOffset RunCutoff(string runKey)
    {
        if (!DateOnly.TryParseExact(runKey, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return Clock.GetUtcNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(jobs.Value.TimeZone);
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
