using System.Text.Json;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Reports;
using Benefit.Recommender.Serving;

namespace Benefit.Recommender.Training;

/// <summary>What the nightly gate needs besides the data: the seed, the holdout, the tolerance, the prior's fading and the negative control.</summary>
public sealed record NightlyTrainingOptions
{
    public int Seed { get; init; } = 42;
    /// <summary>The live holdout: the last weeks of the service's own outcomes.</summary>
    public int HoldoutWeeks { get; init; } = 6;
    /// <summary>The prior's holdout, used while the live one is too small.</summary>
    public int PriorHoldoutWeeks { get; init; } = 6;
    /// <summary>How much worse (nDCG@5 or off-policy value, absolute) a challenger or any subgroup may be and still be promoted.</summary>
    public double Tolerance { get; init; } = 0.01;
    /// <summary>Train on shuffled labels, to see the gate reject it.</summary>
    public bool ShuffleLabels { get; init; }
    /// <summary>The live holdout judges the challenger once it has this many rows and <see cref="MinimumLivePositives"/> kept-up ones; before that, the prior's holdout does.</summary>
    public int MinimumLiveHoldout { get; init; } = 200;
    public int MinimumLivePositives { get; init; } = 10;
    /// <summary>The prior's share of its rows is 1 − live rows / this: it fades out as live outcomes grow (0 = never use the prior).</summary>
    public int PriorFadeRows { get; init; } = 20_000;
    /// <summary>The off-policy comparison counts only when both estimates rest on at least this effective sample size.</summary>
    public double MinimumEffectiveSample { get; init; } = 30;
}

/// <summary>The rows a retrain learns from: the service's own outcomes and, while they are few, a bootstrap prior (a generated cohort).</summary>
public sealed record TrainingInputs(IReadOnlyList<TrainingExample> Live, IReadOnlyList<TrainingExample> Prior);

/// <summary>Where the rows came from and which holdout judged: stored on the card as "learning".</summary>
public sealed record LearningSummary(int LiveRows, int LiveTrainRows, int LiveHoldoutRows, int PriorRowsAvailable, int PriorRowsUsed,
    double PriorWeight, string JudgedOn, IReadOnlyList<OffPolicyEstimate> OffPolicy);

/// <summary>A trained challenger, its card (with the gate's decision in <see cref="CardJson"/>) and report.</summary>
public sealed record NightlyTrainingResult(TrainedModel Model, ModelCard Card, PromotionDecision Decision, string CardJson, string ReportHtml,
    LearningSummary Learning);

/// <summary>
/// The nightly retrain as one library step — split by time → train the challenger → evaluate challenger and champion on the
/// same holdout → decide with <see cref="PromotionPolicy"/> — so the Hangfire job and <c>benefit-ml retrain</c> run the same gate.
/// </summary>
public static class NightlyTraining
{
    public const string LiveHoldout = "live holdout", PriorHoldout = "prior holdout";

    /// <summary>Every row judged as one set (a cohort file): <c>benefit-ml retrain</c>.</summary>
    public static NightlyTrainingResult Run(IReadOnlyList<TrainingExample> examples, InterventionCatalog catalog, ModelSnapshot? champion,
        string version, NightlyTrainingOptions options, DateTimeOffset createdAt, string? dataSource = null,
        IReadOnlyDictionary<string, object?>? notes = null, CancellationToken ct = default) =>
        Run(new TrainingInputs(examples, []), catalog, champion, version, options with { MinimumLiveHoldout = 0, MinimumLivePositives = 0 },
            createdAt, dataSource, notes, ct);

    public static NightlyTrainingResult Run(TrainingInputs inputs, InterventionCatalog catalog, ModelSnapshot? champion,
        string version, NightlyTrainingOptions options, DateTimeOffset createdAt, string? dataSource = null,
        IReadOnlyDictionary<string, object?>? notes = null, CancellationToken ct = default)
    {
        var (split, learning) = Split(inputs, options);
        if (options.ShuffleLabels) split = (Shuffle(split.Train, options.Seed), split.Test, split.Cutoff);
        // No ablation and no LightGBM at night: the gate compares the challenger with the champion, not with every yardstick.
        var training = new TrainingOptions { Seed = options.Seed, HoldoutWeeks = options.HoldoutWeeks, IdentityAblation = false };
        ct.ThrowIfCancellationRequested();
        var championScorer = champion is null ? null : new FfmScorer(champion, $"Champion {champion.Version}");
        var (model, trained) = TrainingRun.Run(split, catalog, training, version, commit: null, dataSource, withLightGbm: false,
            alsoEvaluate: championScorer is null ? null : [championScorer]);
        ct.ThrowIfCancellationRequested();

        // Off-policy: what each would have earned on the lists the service really served (live holdout only), overall and per SES band.
        var challengerScorer = new FfmScorer(ModelSnapshot.From(model, version), $"Challenger {version}");
        var estimates = learning.JudgedOn == LiveHoldout
            ? ((IScorer[])[challengerScorer, .. championScorer is null ? Array.Empty<IScorer>() : [championScorer]])
                .Select(s => OffPolicy.SnipsByGroup(s, split.Test, catalog, r => r.Group.SocioEconomicBand)).ToList()
            : [];
        List<OffPolicyEstimate> offPolicy = [.. estimates.Select(e => e.Overall)];
        learning = learning with { OffPolicy = offPolicy };
        OffPolicyComparison? comparison = null;
        if (offPolicy.Count == 2 && offPolicy.All(o => o.EffectiveSampleSize >= options.MinimumEffectiveSample))
            comparison = new OffPolicyComparison(offPolicy[1], offPolicy[0],
                [.. estimates[1].Groups.Keys.Select(band => (band, estimates[1].Groups[band], estimates[0].Groups[band]))]);

        var results = trained.Metrics;
        var championResult = results.FirstOrDefault(r => r.Name == championScorer?.Name);
        var decision = championResult is null
            ? new PromotionDecision(true, "promoted: there was no champion", 0, results[0].Overall.Ndcg5, 0,
                results[0].LargestGap.GetValueOrDefault(PromotionPolicy.SesDimension), []) { DecidedBy = "no champion" }
            : PromotionPolicy.Decide(championResult, results[0], options.Tolerance, comparison);
        // The card lists the challenger first and the champion second, then the baselines.
        var card = trained with
        {
            CreatedAt = createdAt,
            Metrics = championResult is null ? results : [results[0], championResult, .. results.Skip(1).Where(r => r != championResult)],
        };
        var allNotes = new Dictionary<string, object?>(notes ?? new Dictionary<string, object?>()) { ["learning"] = learning };
        return new NightlyTrainingResult(model, card, decision, CardWithDecision(card, decision, allNotes), ReportWriter.Html(card), learning);
    }

    /// <summary>
    /// Live rows split by time; the prior (if any) only ever trains, a seeded share of it that fades as live rows grow. The live
    /// holdout judges once it is big enough; before that the prior's own last weeks do (and the live rows all train).
    /// </summary>
    public static ((List<TrainingExample> Train, List<TrainingExample> Test, DateTimeOffset Cutoff) Split, LearningSummary Learning) Split(
        TrainingInputs inputs, NightlyTrainingOptions options)
    {
        var weight = options.PriorFadeRows <= 0 ? 0 : Math.Max(0, 1 - inputs.Live.Count / (double)options.PriorFadeRows);
        var prior = Sample(inputs.Prior, weight, options.Seed);
        if (inputs.Live.Count > 0)
        {
            // Strictly after the holdout's start: lists served on the same weekday a week apart fall on the right sides.
            var cutoff = inputs.Live.Max(r => r.Timestamp).AddDays(-7 * options.HoldoutWeeks);
            List<TrainingExample> train = [.. inputs.Live.Where(r => r.Timestamp <= cutoff)], test = [.. inputs.Live.Where(r => r.Timestamp > cutoff)];
            if (test.Count >= options.MinimumLiveHoldout && test.Count(r => r.Label) >= options.MinimumLivePositives && train.Count + prior.Count > 0)
                return (([.. prior, .. train], test, cutoff),
                    new LearningSummary(inputs.Live.Count, train.Count, test.Count, inputs.Prior.Count, prior.Count, weight, LiveHoldout, []));
        }
        if (inputs.Prior.Count == 0)
            throw new InvalidOperationException("too few live outcomes to judge a challenger and no prior to judge it on");
        var (priorTrain, priorTest, priorCutoff) = TrainingSet.SplitByTime(inputs.Prior, options.PriorHoldoutWeeks);
        var testKeys = priorTest.ToHashSet(ReferenceEqualityComparer.Instance);
        List<TrainingExample> trainRows = [.. prior.Where(r => !testKeys.Contains(r)), .. inputs.Live];
        return ((trainRows, priorTest, priorCutoff),
            new LearningSummary(inputs.Live.Count, inputs.Live.Count, 0, inputs.Prior.Count, trainRows.Count - inputs.Live.Count, weight, PriorHoldout, []));
    }

    private static List<TrainingExample> Sample(IReadOnlyList<TrainingExample> rows, double share, int seed)
    {
        if (share >= 1) return [.. rows];
        if (share <= 0) return [];
        var random = new Random(seed);
        return [.. rows.Where(_ => random.NextDouble() < share)];
    }

    /// <summary>The card as stored: the card itself, the gate's decision, and the run's notes (e.g. patients withheld for consent).</summary>
    private static string CardWithDecision(ModelCard card, PromotionDecision decision, IReadOnlyDictionary<string, object?>? notes)
    {
        var node = JsonSerializer.SerializeToNode(card, ModelStore.Json)!.AsObject();
        node["decision"] = JsonSerializer.SerializeToNode(decision, ModelStore.Json);
        foreach (var (key, value) in notes ?? new Dictionary<string, object?>())
            node[key] = JsonSerializer.SerializeToNode(value, ModelStore.Json);
        return node.ToJsonString(ModelStore.Json);
    }

    private static List<TrainingExample> Shuffle(IReadOnlyList<TrainingExample> examples, int seed)
    {
        var random = new Random(seed);
        var labels = examples.Select(e => e.Label).ToArray();
        random.Shuffle(labels);
        return [.. examples.Select((e, i) => e with { Label = labels[i] })];
    }
}
