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
        if (options.ShuffleLabels)
            examples = Shuffle(examples, options.Seed);
        logger.LogInformation("Retrain {RunKey}: {Rows} rows before {Cutoff:yyyy-MM-dd}; {Withheld} patients withheld for lack of training consent",
            runKey, examples.Count, cutoff, withheld);

        var training = new TrainingOptions { Seed = options.Seed, HoldoutWeeks = options.HoldoutWeeks };
        var (train, test, holdoutFrom) = TrainingSet.SplitByTime(examples, options.HoldoutWeeks);
        ct.ThrowIfCancellationRequested();
        var started = Clock.GetTimestamp();
        var model = new FfmTrainer(training).Train(train, catalog);
        var seconds = Clock.GetElapsedTime(started).TotalSeconds;
        ct.ThrowIfCancellationRequested();

        var version = $"{runKey}{(options.ShuffleLabels ? "-shuffled" : "")}";
        var challenger = ModelSnapshot.From(model, version);
        var (results, calibration) = TrainingRun.Evaluate(challenger, train, test, catalog, options.Seed, withLightGbm: false);
        var champion = serving.Ranker?.Current;
        var championResult = champion is null ? null
            : HoldoutEvaluation.Evaluate(new FfmScorer(champion), test, catalog) with { Name = $"Champion {champion.Version}" };
        var decision = championResult is null
            ? new PromotionDecision(true, "promoted: there was no champion", 0, results[0].Overall.Ndcg5, 0, results[0].LargestGap.GetValueOrDefault(PromotionPolicy.SesDimension), [])
            : PromotionPolicy.Decide(championResult, results[0], options.Tolerance);

        var card = new ModelCard
        {
            Version = version, CreatedAt = Clock.GetUtcNow(), DataCutoff = holdoutFrom, TrainRows = train.Count, HoldoutRows = test.Count,
            Patients = model.Space.PatientIds.Count, Interventions = catalog.Items.Count, Hyperparameters = training,
            TrainingSeconds = Math.Round(seconds, 2), DataSource = data, Calibration = calibration,
            Metrics = championResult is null ? results : [results[0], championResult, .. results.Skip(1)],
        };
        var store = new ModelStore(new ModelStoreOptions { Root = Path.Combine(host.ContentRootPath, models.Value.WorkDirectory) });
        store.Save(model, card, ReportWriter.Html(card), replace: true);
        var cardJson = CardWithDecision(card, decision, withheld, cutoff);
        File.WriteAllText(store.PathOf(version, ModelStore.CardFile), cardJson);

        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
        await registry.AddAsync(version, cardJson, ReportWriter.Html(card), await File.ReadAllBytesAsync(store.PathOf(version, ModelStore.ModelFile), ct),
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

    private static List<TrainingExample> Shuffle(List<TrainingExample> examples, int seed)
    {
        var random = new Random(seed);
        var labels = examples.Select(e => e.Label).ToArray();
        random.Shuffle(labels);
        return [.. examples.Select((e, i) => e with { Label = labels[i] })];
    }

    private static string CardWithDecision(ModelCard card, PromotionDecision decision, int withheld, DateTimeOffset cutoff)
    {
        var node = JsonSerializer.SerializeToNode(card, ModelStore.Json)!.AsObject();
        node["decision"] = JsonSerializer.SerializeToNode(decision, ModelStore.Json);
        node["patientsWithheldForConsent"] = withheld;
        node["runCutoff"] = cutoff;
        return node.ToJsonString(ModelStore.Json);
    }
}
