using System.Collections.Concurrent;
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
        // Parsing and encoding are per line, so they run on every core; AsOrdered keeps file order, and with it the same model.
        return [.. File.ReadLines(Path.Combine(directory, "interactions.csv")).Skip(1).AsParallel().AsOrdered()
            .Select(line => CohortCsv.ParseInteraction(line, profiles))
            .Where(i => catalog.Find(i.InterventionId) is not null).Select(TrainingExample.From)];
    }

    public static (TrainedModel Model, ModelCard Card) Run(IReadOnlyList<TrainingExample> examples, InterventionCatalog catalog,
        TrainingOptions options, string version, string? commit, string? dataSource, bool withLightGbm = true, Action<string>? step = null,
        CohortTruth? truth = null, IReadOnlyList<IScorer>? alsoEvaluate = null) =>
        Run(TrainingSet.SplitByTime(examples, options.HoldoutWeeks), catalog, options, version, commit, dataSource, withLightGbm, step, truth,
            alsoEvaluate);

    /// <summary>The same run on a split the caller made (the nightly job keeps a bootstrap prior out of the live holdout).</summary>
    public static (TrainedModel Model, ModelCard Card) Run((List<TrainingExample> Train, List<TrainingExample> Test, DateTimeOffset Cutoff) split,
        InterventionCatalog catalog, TrainingOptions options, string version, string? commit, string? dataSource, bool withLightGbm = true,
        Action<string>? step = null, CohortTruth? truth = null, IReadOnlyList<IScorer>? alsoEvaluate = null)
    {
        var log = Synchronized(step);
        var (train, test, cutoff) = split;
        // ML.NET's FFM trains on one thread, so the single-threaded LightGBM baseline is trained and evaluated beside it.
        Task<(LightGbmScorer Scorer, RankerResult Result)>? baseline = null;
        if (withLightGbm)
        {
            log?.Invoke($"training the LightGBM LambdaRank baseline on at most {options.BaselinePatients:N0} patients, beside the FFM");
            baseline = Task.Run(() => EvaluateBaseline(train, test, catalog, options, log));
        }
        log?.Invoke($"training FFM on {train.Count:N0} rows, {options.EpochsFor(train.Count)} epochs");
        var clock = Stopwatch.StartNew();
        var model = new FfmTrainer(options).Train(train, catalog);
        var seconds = clock.Elapsed.TotalSeconds;
        // Scorers the caller brings (the nightly job's champion) are ranked on the same holdout, after the baselines.
        List<IScorer> extra = [.. alsoEvaluate ?? []];
        if (options.IdentityFields && options.IdentityAblation)
        {
            log?.Invoke("training the identity ablation (the same FFM without the identity fields)");
            var ablation = new FfmTrainer(options with { IdentityFields = false }).Train(train, catalog);
            extra.Add(new FfmScorer(ModelSnapshot.From(ablation, version + "-no-identity"), FfmScorer.WithoutIdentity));
        }
        log?.Invoke($"evaluating on {test.Count:N0} holdout rows");
        var snapshot = ModelSnapshot.From(model, version);
        var (results, calibration) = Evaluate(snapshot, train, test, catalog,
            baseline is null ? null : () => baseline.GetAwaiter().GetResult().Result, extra, log);
        List<PolicyValueResult> policy = [];
        if (truth is not null)
        {
            log?.Invoke("policy value against the hidden response model");
            var popularity = new PopularityScorer(train);
            IScorer[] rankers = [new FfmScorer(snapshot), .. extra, popularity, new GuidelineScorer(popularity),
                .. baseline is null ? Array.Empty<IScorer>() : [baseline.GetAwaiter().GetResult().Scorer]];
            policy = PolicyValue.Evaluate(rankers, PolicyValue.Cases(train, test, truth.Patient), catalog, truth.Response);
        }
        var card = new ModelCard
        {
            Version = version, CreatedAt = DateTimeOffset.UtcNow, DataCutoff = cutoff, TrainRows = train.Count, HoldoutRows = test.Count,
            Patients = model.Space.PatientIds.Count, Interventions = catalog.Items.Count, Hyperparameters = options,
            TrainingSeconds = Math.Round(seconds, 2), CodeCommit = commit, DataSource = dataSource, Metrics = results, Calibration = calibration,
            PolicyValues = policy,
        };
        return (model, card);
    }

    /// <summary>LightGBM LambdaRank on a seeded sample of patients (<see cref="TrainingOptions.BaselinePatients"/>) with sampled negatives.</summary>
    public static LightGbmScorer TrainBaseline(IReadOnlyList<TrainingExample> train, InterventionCatalog catalog, TrainingOptions options) =>
        new(TrainingSet.WithSampledNegatives(TrainingSet.SamplePatients(train, options.BaselinePatients, options.Seed), catalog, options),
            catalog, options.Seed, options.BaselineIterations);

    public static (List<RankerResult> Results, List<CalibrationPoint> Calibration) Evaluate(ModelSnapshot snapshot,
        IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> test, InterventionCatalog catalog, int seed,
        bool withLightGbm, Action<string>? step = null)
    {
        var log = Synchronized(step);
        return Evaluate(snapshot, train, test, catalog,
            withLightGbm ? () => EvaluateBaseline(train, test, catalog, new TrainingOptions { Seed = seed }, log).Result : null, [], log);
    }

    private static (LightGbmScorer Scorer, RankerResult Result) EvaluateBaseline(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> test,
        InterventionCatalog catalog, TrainingOptions options, Action<string>? step)
    {
        var scorer = TrainBaseline(train, catalog, options);
        step?.Invoke($"evaluating {scorer.Name}");
        var result = HoldoutEvaluation.Evaluate(scorer, test, catalog);
        step?.Invoke($"{scorer.Name} evaluated");
        return (scorer, result);
    }

    private static (List<RankerResult> Results, List<CalibrationPoint> Calibration) Evaluate(ModelSnapshot snapshot,
        IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> test, InterventionCatalog catalog,
        Func<RankerResult>? baseline, IReadOnlyList<IScorer> extra, Action<string>? step)
    {
        var popularity = new PopularityScorer(train);
        var ffm = new FfmScorer(snapshot);
        var rankers = new List<Func<RankerResult>>();
        foreach (var scorer in (IScorer[])[ffm, popularity, new GuidelineScorer(popularity), .. extra])
            rankers.Add(() =>
            {
                step?.Invoke($"evaluating {scorer.Name}");
                return HoldoutEvaluation.Evaluate(scorer, test, catalog);
            });
        if (baseline is not null) rankers.Add(baseline);
        // Rankers are evaluated independently, two at a time; the baseline (slowest, or still finishing) starts first.
        var results = new RankerResult[rankers.Count];
        var first = baseline is null ? 0 : rankers.Count - 1;
        int[] order = [first, .. Enumerable.Range(0, rankers.Count).Where(n => n != first)];
        Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), new ParallelOptions { MaxDegreeOfParallelism = 2 },
            n => results[n] = rankers[n]());
        var calibration = HoldoutEvaluation.Calibration(ffm, test, catalog).Select(c => new CalibrationPoint(c.Predicted, c.Observed, c.Count)).ToList();
        return ([.. results], calibration);
    }

    /// <summary>Progress callbacks come from more than one thread here; the caller's callback need not be thread-safe.</summary>
    private static Action<string>? Synchronized(Action<string>? step)
    {
        if (step is null) return null;
        var gate = new Lock();
        return s => { lock (gate) step(s); };
    }
}
