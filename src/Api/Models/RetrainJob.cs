using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Benefit.Api.Data;
using Benefit.Api.Jobs;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Reports;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Models;

/// <summary>02:30 — train a challenger, evaluate it and the champion on the same holdout, promote only if the gate passes.</summary>
public sealed class RetrainJob(
    IServiceScopeFactory scopes, InterventionCatalog catalog, ModelServing serving, IOptions<RetrainOptions> retrain, IOptions<ModelOptions> models,
    JobRunGuard guard, IOptions<JobsOptions> jobs, IHostEnvironment host, TimeProvider clock, ILogger<RetrainJob> logger) : GuardedJob(guard, jobs.Value, clock, logger)
{
    public const string JobName = "retrain";
    protected override string Name => JobName;

    protected override async Task<string> ExecuteAsync(string runKey, CancellationToken ct)
    {
        var options = retrain.Value;
        var data = Path.Combine(host.ContentRootPath, options.TrainingData);
        if (!File.Exists(Path.Combine(data, "interactions.csv")))
        {
            logger.LogInformation("No training data at {Path}; generating a cohort with seed {Seed}", data, options.Seed);
            new CohortGenerator(catalog, new CohortOptions { Patients = options.CohortPatients, Interactions = options.CohortInteractions, Seed = options.Seed, FhirPatients = 0 })
                .Write(data);
        }

        // Frozen inputs: the same run key, data and seed reproduce the same model on a retry.
        var cutoff = RunCutoff(runKey);
        var excluded = await PatientsWithoutTrainingConsentAsync(ct);
        var all = TrainingRun.LoadCohort(data, catalog);
        var examples = all.Where(e => e.Timestamp < cutoff && !excluded.Contains(e.PatientId)).ToList();
        var withheld = all.Where(e => excluded.Contains(e.PatientId)).Select(e => e.PatientId).Distinct().Count();
        logger.LogInformation("Retrain {RunKey}: {Rows} rows before {Cutoff:yyyy-MM-dd}; {Withheld} patients withheld for lack of training consent",
            runKey, examples.Count, cutoff, withheld);

        var version = $"{runKey}{(options.ShuffleLabels ? "-shuffled" : "")}";
        var run = NightlyTraining.Run(examples, catalog, serving.Ranker?.Current, version,
            new NightlyTrainingOptions { Seed = options.Seed, HoldoutWeeks = options.HoldoutWeeks, Tolerance = options.Tolerance, ShuffleLabels = options.ShuffleLabels },
            Clock.GetUtcNow(), data, new Dictionary<string, object?> { ["patientsWithheldForConsent"] = withheld, ["runCutoff"] = cutoff }, ct);
        var decision = run.Decision;
        var store = new ModelStore(new ModelStoreOptions { Root = Path.Combine(host.ContentRootPath, models.Value.WorkDirectory) });
        store.Save(run.Model, run.Card, run.ReportHtml, replace: true);
        var cardJson = run.CardJson;
        File.WriteAllText(store.PathOf(version, ModelStore.CardFile), cardJson);

        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
        await registry.AddAsync(version, cardJson, run.ReportHtml, await File.ReadAllBytesAsync(store.PathOf(version, ModelStore.ModelFile), ct),
            decision, ct);
        if (decision.Promote)
            await serving.RefreshAsync(ct);
        return $"{version}: {decision.Reason}; {withheld} patients withheld (no training consent)";
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

    private async Task<HashSet<string>> PatientsWithoutTrainingConsentAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        return [.. await db.Consents.Where(c => !c.Training).Select(c => c.PatientId).ToListAsync(ct)];
    }
}
