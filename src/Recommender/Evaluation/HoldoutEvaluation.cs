using Benefit.Recommender.Catalog;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Evaluation;

public sealed record SubgroupResult(string Dimension, string Group, MetricSet Metrics);

/// <summary>One ranker's results: overall, per subgroup, and the largest nDCG@5 gap within each dimension.</summary>
public sealed record RankerResult(string Name, MetricSet Overall, IReadOnlyList<SubgroupResult> Subgroups, IReadOnlyDictionary<string, double> LargestGap);

/// <summary>Scores the time-split holdout: AUC on its impressions, top-5 metrics over the whole catalogue with kept-up items as relevant.</summary>
public static class HoldoutEvaluation
{
    public const int K = 5;

    public static RankerResult Evaluate(IScorer scorer, IReadOnlyList<TrainingExample> test, InterventionCatalog catalog)
    {
        var items = catalog.Items;
        var perPatient = new List<PatientRanking>();
        var patients = test.GroupBy(r => r.PatientId).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var firsts = patients.Select(g => g.MinBy(r => r.Timestamp)!).ToList();
        foreach (var (patient, first, scores) in patients.Zip(firsts, scorer.ScoreMany(firsts, items)))
        {
            var byId = items.Select((i, n) => (i.Id, scores[n])).ToDictionary(x => x.Id, x => x.Item2, StringComparer.Ordinal);
            var impressions = patient.Where(r => r.Shown && byId.ContainsKey(r.InterventionId))
                .Select(r => (byId[r.InterventionId], r.Label)).ToList();
            var relevant = patient.Where(r => r.Label).Select(r => r.InterventionId).ToHashSet(StringComparer.Ordinal);
            var ranked = items.Select((i, n) => (i.Id, Score: scores[n])).OrderByDescending(x => x.Score)
                .ThenBy(x => x.Id, StringComparer.Ordinal).Select(x => x.Id).ToList();
            perPatient.Add(new PatientRanking(first, ranked, relevant, impressions));
        }
        // AUC uses every holdout impression; the top-k metrics only patients who kept something up.
        MetricSet Summarise(IReadOnlyCollection<PatientRanking> all)
        {
            var auc = Metrics.Auc([.. all.SelectMany(r => r.Impressions)]);
            var rows = all.Where(r => r.Relevant.Count > 0).ToList();
            return rows.Count == 0 ? new MetricSet(auc, 0, 0, 0, 0, 0, 0) : new MetricSet(auc,
                rows.Average(r => Metrics.NdcgAtK(r.Ranked, r.Relevant, K)), rows.Average(r => Metrics.PrecisionAtK(r.Ranked, r.Relevant, K)),
                rows.Average(r => Metrics.RecallAtK(r.Ranked, r.Relevant, K)), rows.Average(r => Metrics.AveragePrecision(r.Ranked, r.Relevant)),
                (double)rows.SelectMany(r => r.Ranked.Take(K)).Distinct().Count() / items.Count, rows.Count);
        }

        var subgroups = new List<SubgroupResult>();
        var gaps = new Dictionary<string, double>();
        foreach (var (dimension, key) in Dimensions)
        {
            var groups = perPatient.GroupBy(r => key(r.First.Group)).Where(g => g.Key.Length > 0).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new SubgroupResult(dimension, g.Key, Summarise(g.ToList()))).ToList();
            subgroups.AddRange(groups);
            gaps[dimension] = groups.Count < 2 ? 0 : groups.Max(g => g.Metrics.Ndcg5) - groups.Min(g => g.Metrics.Ndcg5);
        }
        return new RankerResult(scorer.Name, Summarise(perPatient), subgroups, gaps);
    }

    private sealed record PatientRanking(TrainingExample First, List<string> Ranked, HashSet<string> Relevant, List<(float, bool)> Impressions);

    private static readonly (string Name, Func<Subgroup, string> Key)[] Dimensions =
        [("SES band", g => g.SocioEconomicBand), ("sex", g => g.Sex), ("age band", g => g.AgeBand)];

    /// <summary>Mean predicted probability against the observed kept-up rate, in ten bins, for the calibration plot.</summary>
    public static IReadOnlyList<(double Predicted, double Observed, int Count)> Calibration(IScorer ffm, IReadOnlyList<TrainingExample> test, InterventionCatalog catalog)
    {
        var points = test.Where(r => r.Shown && catalog.Find(r.InterventionId) is not null)
            .Select(r => (P: 1 / (1 + Math.Exp(-ffm.Score(r, [catalog.Find(r.InterventionId)!])[0])), r.Label)).ToList();
        return [.. points.GroupBy(x => Math.Min(9, (int)(x.P * 10))).OrderBy(g => g.Key)
            .Select(g => (g.Average(x => x.P), g.Average(x => x.Label ? 1.0 : 0.0), g.Count()))];
    }
}
