using System.Diagnostics;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Reports;
using Benefit.Recommender.Serving;

namespace Benefit.Recommender.Training;

/// <summary>Load → split by time → train → evaluate against the baselines → model card. Each step is also usable on its own.</summary>
public static class TrainingRun
{
    public static List<TrainingExample> LoadCohort(string directory, InterventionCatalog catalog)
    {
        var profiles = CohortCsv.ReadProfiles(Path.Combine(directory, "profiles.csv"));
        return TrainingSet.FromInteractions(CohortCsv.ReadInteractions(Path.Combine(directory, "interactions.csv"), profiles), catalog);
    }

    public static (TrainedModel Model, ModelCard Card) Run(IReadOnlyList<TrainingExample> examples, InterventionCatalog catalog,
        TrainingOptions options, string version, string? commit, string? dataSource, bool withLightGbm = true, Action<string>? step = null)
    {
        var (train, test, cutoff) = TrainingSet.SplitByTime(examples, options.HoldoutWeeks);
        step?.Invoke($"training FFM on {train.Count:N0} rows");
        var clock = Stopwatch.StartNew();
        var model = new FfmTrainer(options).Train(train, catalog);
        var seconds = clock.Elapsed.TotalSeconds;
        step?.Invoke($"evaluating on {test.Count:N0} holdout rows");
        var (results, calibration) = Evaluate(ModelSnapshot.From(model, version), train, test, catalog, options.Seed, withLightGbm, step);
        var card = new ModelCard
        {
            Version = version, CreatedAt = DateTimeOffset.UtcNow, DataCutoff = cutoff, TrainRows = train.Count, HoldoutRows = test.Count,
            Patients = model.Space.PatientIds.Count, Interventions = catalog.Items.Count, Hyperparameters = options,
            TrainingSeconds = Math.Round(seconds, 2), CodeCommit = commit, DataSource = dataSource, Metrics = results, Calibration = calibration,
        };
        return (model, card);
    }

    public static (List<RankerResult> Results, List<CalibrationPoint> Calibration) Evaluate(ModelSnapshot snapshot,
        IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> test, InterventionCatalog catalog, int seed,
        bool withLightGbm, Action<string>? step = null)
    {
        var popularity = new PopularityScorer(train);
        var ffm = new FfmScorer(snapshot);
        var scorers = new List<IScorer> { ffm, popularity, new GuidelineScorer(popularity) };
        if (withLightGbm)
        {
            step?.Invoke("training the LightGBM LambdaRank baseline");
            scorers.Add(new LightGbmScorer(TrainingSet.WithSampledNegatives(train, catalog, new TrainingOptions { Seed = seed }), catalog, seed));
        }
        var results = scorers.Select(s =>
        {
            step?.Invoke($"evaluating {s.Name}");
            return HoldoutEvaluation.Evaluate(s, test, catalog);
        }).ToList();
        var calibration = HoldoutEvaluation.Calibration(ffm, test, catalog).Select(c => new CalibrationPoint(c.Predicted, c.Observed, c.Count)).ToList();
        return (results, calibration);
    }
}
