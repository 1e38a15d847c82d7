using System.Diagnostics;
using Benefit.Bench.Fhir;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Reports;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Bench.Nightly;

/// <summary>
/// Issue 6: the stages of src/Api/Models/RetrainJob.cs in the same order with the same library calls (no Hangfire, HTTP or
/// database: consent exclusion and the registry row are left out), timed one by one with the process's peak memory so far.
/// </summary>
internal static class NightlyBench
{
    public static async Task<int> RunAsync(Options o)
    {
        var data = o.Text("data", Path.Combine(Path.GetTempPath(), "benefit-bench-cohort"));
        var patients = o.Int("patients", 100_000);
        var interactions = o.Int("interactions", 1_000_000);
        var fhir = o.Text("fhir", "");
        var fhirPatients = o.Int("fhir-patients", 100);
        var output = o.Text("out", Path.Combine(Path.GetTempPath(), "benefit-bench-models"));
        var catalog = InterventionCatalog.Load("data/interventions.json");
        var total = Stopwatch.StartNew();
        var area = $"nightly {patients / 1000:N0}k/{interactions / 1_000_000.0:0.#}M";

        T Stage<T>(string name, Func<T> work, Func<T, string>? note = null)
        {
            var clock = Stopwatch.StartNew();
            var result = work();
            using var self = Process.GetCurrentProcess();
            Report.Result(area, name, clock.Elapsed.TotalSeconds, "s", "", $"{note?.Invoke(result)} peak RSS so far {Report.Mb(self.PeakWorkingSet64)}".Trim());
            return result;
        }

        if (!File.Exists(Path.Combine(data, "interactions.csv")))
            Stage("generate cohort (no FHIR)", () => new CohortGenerator(catalog,
                new CohortOptions { Patients = patients, Interactions = interactions, Seed = 42, FhirPatients = 0 }).Write(data), f => $"{f.InteractionCount:N0} rows;");
        else
            Report.Info($"using the cohort already at {data}");

        if (fhir.Length > 0)
        {
            var ids = Enumerable.Range(0, fhirPatients).Select(n => $"p{n:D6}").ToList();
            var clock = Stopwatch.StartNew();
            var summary = await FhirSyncBench.SyncAsync(fhir, ids, 4);
            using var self = Process.GetCurrentProcess();
            Report.Result(area, $"FHIR sync of a {fhirPatients:N0}-patient sample", clock.Elapsed.TotalSeconds, "s", "",
                $"{summary.ObservationsFetched:N0} observations, {summary.Complete} complete; all {patients:N0} would take ≈ {clock.Elapsed.TotalMinutes * patients / fhirPatients:F0} min at this rate; peak RSS so far {Report.Mb(self.PeakWorkingSet64)}");
        }

        var examples = Stage("load cohort", () => TrainingRun.LoadCohort(data, catalog), e => $"{e.Count:N0} rows;");
        var options = new TrainingOptions { Seed = 42, HoldoutWeeks = 6 };
        var (train, test, holdoutFrom) = Stage("split by time (6-week holdout)", () => TrainingSet.SplitByTime(examples, options.HoldoutWeeks),
            s => $"{s.Train.Count:N0} train / {s.Test.Count:N0} holdout;");
        var trainClock = Stopwatch.StartNew();
        var model = Stage("train challenger (FFM)", () => new FfmTrainer(options).Train(train, catalog));
        var trainSeconds = trainClock.Elapsed.TotalSeconds;

        var version = $"bench-{DateTime.UtcNow:yyyyMMddHHmmss}";
        var challenger = ModelSnapshot.From(model, version);
        var (results, calibration) = Stage("evaluate challenger (+ popularity, guideline baselines)",
            () => TrainingRun.Evaluate(challenger, train, test, catalog, options.Seed, withLightGbm: false), r => $"nDCG@5 {r.Results[0].Overall.Ndcg5:F3};");
        var champion = new ModelStore(new ModelStoreOptions { Root = Path.GetFullPath("models") }).LoadSnapshot("default");
        var championResult = Stage("evaluate champion (models/default) on the same holdout",
            () => HoldoutEvaluation.Evaluate(new FfmScorer(champion), test, catalog) with { Name = "Champion default" }, r => $"nDCG@5 {r.Overall.Ndcg5:F3};");

        Stage("write model, card and report", () =>
        {
            var card = new ModelCard
            {
                Version = version, CreatedAt = DateTimeOffset.UtcNow, DataCutoff = holdoutFrom, TrainRows = train.Count, HoldoutRows = test.Count,
                Patients = model.Space.PatientIds.Count, Interventions = catalog.Items.Count, Hyperparameters = options,
                TrainingSeconds = Math.Round(trainSeconds, 2), DataSource = data, Calibration = calibration,
                Metrics = [results[0], championResult, .. results.Skip(1)],
            };
            var store = new ModelStore(new ModelStoreOptions { Root = output });
            store.Save(model, card, ReportWriter.Html(card), replace: true);
            return store.PathOf(version, ModelStore.ModelFile);
        }, path => $"{new FileInfo(path).Length / 1024.0 / 1024.0:F1} MB model;");

        using var process = Process.GetCurrentProcess();
        Report.Result(area, "whole cycle", total.Elapsed.TotalSeconds, "s", "", $"peak RSS {Report.Mb(process.PeakWorkingSet64)}");
        return 0;
    }
}
