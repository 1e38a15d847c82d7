namespace Benefit.Recommender.Evaluation;

/// <summary>Ranking and classification metrics over one set of patients.</summary>
public sealed record MetricSet(double Auc, double Ndcg5, double Precision5, double Recall5, double Map, double Coverage, int Patients);

/// <summary>Standard top-k metrics, binary relevance; written out so the numbers can be checked by hand.</summary>
public static class Metrics
{
    public static double NdcgAtK(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k)
    {
        double dcg = 0, ideal = 0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
            if (relevant.Contains(ranked[i])) dcg += 1 / Math.Log2(i + 2);
        for (var i = 0; i < Math.Min(k, relevant.Count); i++) ideal += 1 / Math.Log2(i + 2);
        return ideal == 0 ? 0 : dcg / ideal;
    }

    public static double PrecisionAtK(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k) =>
        (double)ranked.Take(k).Count(relevant.Contains) / k;

    public static double RecallAtK(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k) =>
        relevant.Count == 0 ? 0 : (double)ranked.Take(k).Count(relevant.Contains) / relevant.Count;

    /// <summary>Average precision over the whole ranking (MAP is its mean over patients).</summary>
    public static double AveragePrecision(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int? k = null)
    {
        double hits = 0, sum = 0;
        var n = Math.Min(k ?? ranked.Count, ranked.Count);
        for (var i = 0; i < n; i++)
            if (relevant.Contains(ranked[i])) sum += ++hits / (i + 1);
        return relevant.Count == 0 ? 0 : sum / Math.Min(relevant.Count, n);
    }

    /// <summary>Area under the ROC curve by ranks (Mann–Whitney), ties counted half.</summary>
    public static double Auc(IReadOnlyList<(float Score, bool Label)> rows)
    {
        var sorted = rows.OrderBy(r => r.Score).ToArray();
        double positives = sorted.Count(r => r.Label), negatives = sorted.Length - positives, rankSum = 0;
        if (positives == 0 || negatives == 0) return double.NaN;
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            while (j < sorted.Length && sorted[j].Score == sorted[i].Score) j++;
            var midRank = (i + j + 1) / 2.0;
            for (var t = i; t < j; t++) if (sorted[t].Label) rankSum += midRank;
            i = j;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }
}
