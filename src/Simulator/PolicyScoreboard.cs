using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Simulator;

/// <summary>
/// Scores what was served against the hidden truth, beside random-safe, popularity, guideline rules and the oracle on the same
/// allowed items (the safety filter with the patient's own choices and the care team's decisions), as PolicyValue does offline.
/// </summary>
public sealed class PolicyScoreboard(InterventionCatalog catalog, ResponseModel truth, int k)
{
    private readonly RecommendationOptions _rules = new();

    public PolicyPoint? Score(SimulatedPatient patient, ServedList served, DateTimeOffset now, PopularityScorer popularity, GuidelineScorer guideline)
    {
        var allowed = SafetyFilter.Apply(catalog.Items, patient.Request(k), now, _rules).Allowed;
        if (allowed.Count == 0) return null;
        var p = allowed.Select(i => truth.KeepUpProbability(patient.Truth, patient.Context, i)).ToArray();
        var top = Math.Min(k, allowed.Count);
        var at = TrainingExample.For(patient.Context, "", now);

        var shown = served.Items.OrderBy(i => i.Rank).Take(k).Select(i => catalog.Find(i.InterventionId)).OfType<Intervention>().ToList();
        var loop = shown.Count == 0 ? double.NaN : shown.Average(i => truth.KeepUpProbability(patient.Truth, patient.Context, i));
        var explored = served.Items.OrderBy(i => i.Rank).Take(k).Count(IsExploration);
        return new PolicyPoint(patient.Index, at.Group, loop, p.Average(), TopK(popularity.Score(at, allowed)), TopK(guideline.Score(at, allowed)),
            p.OrderDescending().Take(top).Average(), shown.Count, explored);

        double TopK(float[] scores) => Enumerable.Range(0, allowed.Count).OrderByDescending(n => scores[n])
            .ThenBy(n => allowed[n].Id, StringComparer.Ordinal).Take(top).Average(n => p[n]);
    }

    /// <summary>An exploration slot: the API marks it (<c>explored</c>) and its first reason says why it is there.</summary>
    public static bool IsExploration(ServedItem item) => item.Explored;

    private static readonly (string Name, Func<Subgroup, string> Key)[] Dimensions =
        [("SES band", g => g.SocioEconomicBand), ("sex", g => g.Sex), ("age band", g => g.AgeBand)];

    public static (PolicyMeans Overall, List<PolicyMeans> Groups) Summarise(IReadOnlyCollection<PolicyPoint> points)
    {
        // "On the same patients": once any list was served, only patients who got one count, for the loop and every baseline.
        // In patient order, so sums do not depend on which concurrent patient finished first.
        var ordered = points.OrderBy(p => p.Patient).ToList();
        var same = ordered.Any(p => !double.IsNaN(p.Loop)) ? ordered.Where(p => !double.IsNaN(p.Loop)).ToList() : ordered;
        var groups = Dimensions.SelectMany(d => same.GroupBy(p => d.Key(p.Group)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => PolicyMeans.Of(d.Name, g.Key, g.ToList()))).ToList();
        return (PolicyMeans.Of("all", "all", same), groups);
    }
}
