namespace Benefit.Recommender.Evaluation;

/// <summary>One ranker's top-k metrics. MAP@k is Recommenders' map_at_k: Σ precision at each hit in the top k ÷ min(#relevant, k).</summary>
public sealed record TopKResult(string Name, double Ndcg, double Precision, double Recall, double Map, int Users)
{
    /// <summary>Mean ± sd over repeated FFM seeds (0 for deterministic rankers).</summary>
    public double NdcgSd { get; init; }
}

public sealed record RatingsReport(IReadOnlyList<TopKResult> Results, RatingsFfmSettings Ffm, IReadOnlyList<TuningTrial> Trials,
    int TrainRatings, int TestRatings);

/// <summary>
/// The Microsoft Recommenders protocol on any user,item,rating,timestamp file: python_stratified_split per user (75 % with the
/// floor rule, seed 42), top-k over every training item the user has not rated in training, every test rating relevant;
/// popularity, SAR and item-kNN beside the FFM, all on the identical split.
/// </summary>
public static class RatingsEvaluation
{
    public static List<Rating> Read(string path) => RatingsData.Read(path);

    public static (List<Rating> Train, List<Rating> Test) Split(IReadOnlyList<Rating> ratings, RatingsOptions options) =>
        RatingsData.Split(ratings, options.StratifyBy, options.TrainRatio, options.Seed);

    public static IReadOnlyList<TopKResult> Run(IReadOnlyList<Rating> ratings, RatingsOptions options, Action<string>? step = null) =>
        Report(ratings, options, step).Results;

    public static RatingsReport Report(IReadOnlyList<Rating> ratings, RatingsOptions options, Action<string>? step = null)
    {
        var (train, test) = Split(ratings, options);
        var matrix = new RatingsMatrix(train);
        var ffm = options.Ffm;
        IReadOnlyList<TuningTrial> trials = [];
        if (options.Tune)
            (ffm, trials) = RatingsTuning.Choose(train, options, step);
        step?.Invoke("SAR and item-kNN co-occurrences");
        var results = new List<TopKResult>
        {
            TopK(new PopularityRanker(matrix), matrix, test, options.K),
            TopK(CooccurrenceRanker.Sar(matrix, options.SarHalfLifeDays), matrix, test, options.K),
            TopK(CooccurrenceRanker.ItemKnn(matrix), matrix, test, options.K),
        };
        var runs = new List<TopKResult>();
        for (var r = 0; r < Math.Max(1, options.Repeats); r++)
        {
            step?.Invoke($"training the id-only FFM ({ffm with { Seed = ffm.Seed + r }}) on {train.Count:N0} ratings");
            runs.Add(TopK(RatingsFfm.Train(matrix, ffm with { Seed = ffm.Seed + r }).Ranker, matrix, test, options.K));
        }
        var mean = runs.Average(x => x.Ndcg);
        results.Add(runs[0] with
        {
            Ndcg = mean, Precision = runs.Average(x => x.Precision), Recall = runs.Average(x => x.Recall), Map = runs.Average(x => x.Map),
            NdcgSd = runs.Count < 2 ? 0 : Math.Sqrt(runs.Sum(x => (x.Ndcg - mean) * (x.Ndcg - mean)) / (runs.Count - 1)),
        });
        return new RatingsReport(results, ffm, trials, train.Count, test.Count);
    }

    /// <summary>Top k of every training item the user did not rate in training; a test user with no training rating still counts.</summary>
    public static TopKResult TopK(IRatingsRanker ranker, RatingsMatrix m, IReadOnlyList<Rating> test, int k)
    {
        var users = test.GroupBy(r => r.User).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var scores = new float[m.Items.Length];
        double ndcg = 0, precision = 0, recall = 0, map = 0;
        foreach (var user in users)
        {
            var relevant = user.Select(r => r.Item).ToHashSet(StringComparer.Ordinal);
            var top = Top(ranker, m, m.UserIndex(user.Key), k, scores);
            ndcg += Metrics.NdcgAtK(top, relevant, k);
            precision += Metrics.PrecisionAtK(top, relevant, k);
            recall += Metrics.RecallAtK(top, relevant, k);
            map += Metrics.AveragePrecision(top, relevant, k);
        }
        var n = Math.Max(1, users.Count);
        return new TopKResult(ranker.Name, ndcg / n, precision / n, recall / n, map / n, users.Count);
    }

    /// <summary>The k best unseen items by score, ties broken by item id (ordinal), as item ids.</summary>
    public static List<string> Top(IRatingsRanker ranker, RatingsMatrix m, int user, int k, float[] scores)
    {
        ranker.Score(user, scores);
        if (user >= 0)
            foreach (var (item, _, _) in m.UserRatings[user]) scores[item] = float.NegativeInfinity;
        var best = new List<int>(k + 1);
        for (var i = 0; i < scores.Length; i++)
        {
            if (float.IsNegativeInfinity(scores[i])) continue;
            if (best.Count == k && scores[i] <= scores[best[^1]]) continue;
            var at = best.Count;
            while (at > 0 && scores[best[at - 1]] < scores[i]) at--;
            best.Insert(at, i);
            if (best.Count > k) best.RemoveAt(k);
        }
        return [.. best.Select(i => m.Items[i])];
    }
}
