using System.Text.Json;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Reports;
using Benefit.Recommender.Serving;

namespace Benefit.Recommender.Training;

/// <summary>What the nightly gate needs besides the data: the seed, the holdout, the tolerance, and the negative control.</summary>
public sealed record NightlyTrainingOptions
{
    public int Seed { get; init; } = 42;
    public int HoldoutWeeks { get; init; } = 6;
    /// <summary>How much worse (nDCG@5, absolute) a challenger or any subgroup may be and still be promoted.</summary>
    public double Tolerance { get; init; } = 0.01;
    /// <summary>Train on shuffled labels, to see the gate reject it.</summary>
    public bool ShuffleLabels { get; init; }
}

/// <summary>A trained challenger, its card (with the gate's decision in <see cref="CardJson"/>) and report.</summary>
public sealed record NightlyTrainingResult(TrainedModel Model, ModelCard Card, PromotionDecision Decision, string CardJson, string ReportHtml);

/// <summary>
/// The nightly retrain as one library step — split by time → train the challenger → evaluate challenger and champion on the
/// same holdout → decide with <see cref="PromotionPolicy"/> — so the Hangfire job and <c>benefit-ml retrain</c> run the same gate.
/// </summary>
public static class NightlyTraining
{
    public static NightlyTrainingResult Run(IReadOnlyList<TrainingExample> examples, InterventionCatalog catalog, ModelSnapshot? champion,
        string version, NightlyTrainingOptions options, DateTimeOffset createdAt, string? dataSource = null,
        IReadOnlyDictionary<string, object?>? notes = null, CancellationToken ct = default)
    {
        var rows = options.ShuffleLabels ? Shuffle(examples, options.Seed) : examples;
        // No ablation and no LightGBM at night: the gate compares the challenger with the champion, not with every yardstick.
        var training = new TrainingOptions { Seed = options.Seed, HoldoutWeeks = options.HoldoutWeeks, IdentityAblation = false };
        ct.ThrowIfCancellationRequested();
        var championScorer = champion is null ? null : new FfmScorer(champion, $"Champion {champion.Version}");
        var (model, trained) = TrainingRun.Run(rows, catalog, training, version, commit: null, dataSource, withLightGbm: false,
            alsoEvaluate: championScorer is null ? null : [championScorer]);
        ct.ThrowIfCancellationRequested();

        var results = trained.Metrics;
        var championResult = results.FirstOrDefault(r => r.Name == championScorer?.Name);
        var decision = championResult is null
            ? new PromotionDecision(true, "promoted: there was no champion", 0, results[0].Overall.Ndcg5, 0,
                results[0].LargestGap.GetValueOrDefault(PromotionPolicy.SesDimension), [])
            : PromotionPolicy.Decide(championResult, results[0], options.Tolerance);
        // The card lists the challenger first and the champion second, then the baselines.
        var card = trained with
        {
            CreatedAt = createdAt,
            Metrics = championResult is null ? results : [results[0], championResult, .. results.Skip(1).Where(r => r != championResult)],
        };
        return new NightlyTrainingResult(model, card, decision, CardWithDecision(card, decision, notes), ReportWriter.Html(card));
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
