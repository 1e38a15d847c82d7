using Benefit.Recommender.Catalog;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Evaluation;

/// <summary>
/// A ranker's value on lists the service really served, corrected for the serving policy's own exposure: self-normalised
/// inverse propensity scoring (SNIPS) at item level. For each logged list the ranker's own list of the same length is
/// rebuilt from the list's stored candidates the way the service chooses (care-team picks first, resting items last,
/// diversity; without stored candidates, from what the safety filter allows in the stored context); each logged item in that top k weighs 1 / its
/// propensity; the estimate is Σ w · kept-up / Σ w — the mean chance of keeping up over the ranker's items. Items the
/// ranker would show but the log never did carry no weight, so <see cref="EffectiveSampleSize"/> says how much evidence
/// there is. Rows without a stored context (the generated cohort) are skipped.
/// </summary>
public sealed record OffPolicyEstimate(string Ranker, int Lists, int MatchedItems, double Value, double EffectiveSampleSize, double LoggedValue);

public static class OffPolicy
{
    public static OffPolicyEstimate Snips(IScorer scorer, IReadOnlyList<TrainingExample> logged, InterventionCatalog catalog,
        RecommendationOptions? options = null) => SnipsByGroup(scorer, logged, catalog, _ => "", options).Overall;

    /// <summary>The estimate overall and per group (e.g. SES band) from one pass: each logged list is scored and rebuilt once.</summary>
    public static (OffPolicyEstimate Overall, IReadOnlyDictionary<string, OffPolicyEstimate> Groups) SnipsByGroup(IScorer scorer,
        IReadOnlyList<TrainingExample> logged, InterventionCatalog catalog, Func<TrainingExample, string> groupOf, RecommendationOptions? options = null)
    {
        options ??= new RecommendationOptions();
        var overall = new Sums();
        var groups = new SortedDictionary<string, Sums>(StringComparer.Ordinal);
        foreach (var list in logged.Where(r => r.ListId is not null && r.ServedContext is not null).GroupBy(r => r.ListId!))
        {
            var first = list.First();
            // The ranker's list as the service would have served it: from the same candidates, with the same ordering and diversity.
            var candidates = first.ServedCandidates;
            var allowed = candidates is { Allowed.Count: > 0 }
                ? [.. candidates.Allowed.Select(catalog.Find).OfType<Intervention>()]
                : SafetyFilter.Apply(catalog.Items, new RecommendationRequest(first.ServedContext!), first.Timestamp, options).Allowed;
            if (allowed.Count == 0) continue;
            var scores = scorer.Score(first, allowed);
            var top = RecommendationService.Choose(allowed.Select((item, n) => (item, scores[n])), candidates ?? ServedCandidates.None, list.Count(), options)
                .Select(x => x.Item.Id).ToHashSet(StringComparer.Ordinal);
            var key = groupOf(first);
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = new Sums();
            foreach (var sums in (Sums[])[overall, group])
                sums.Add(list, top);
        }
        return (overall.Estimate(scorer.Name), groups.ToDictionary(g => g.Key, g => g.Value.Estimate(scorer.Name), StringComparer.Ordinal));
    }

    private sealed class Sums
    {
        private double _weighted, _weights, _squares;
        private int _lists, _matched, _rows, _kept;

        public void Add(IEnumerable<TrainingExample> list, IReadOnlySet<string> top)
        {
            _lists++;
            foreach (var row in list)
            {
                _rows++;
                if (row.Label) _kept++;
                if (!top.Contains(row.InterventionId) || row.Propensity <= 0) continue;
                var w = 1 / row.Propensity;
                _matched++;
                _weighted += w * (row.Label ? 1 : 0);
                _weights += w;
                _squares += w * w;
            }
        }

        public OffPolicyEstimate Estimate(string ranker) => new(ranker, _lists, _matched, _weights > 0 ? _weighted / _weights : 0,
            _squares > 0 ? _weights * _weights / _squares : 0, _rows > 0 ? (double)_kept / _rows : 0);
    }
}
