using Benefit.Recommender.Evaluation;
using Xunit.Abstractions;

namespace Benefit.Recommender.Tests.Evaluation;

[Collection(CohortCollection.Name)]
public sealed class HoldoutEvaluationTests(CohortFixture cohort, ITestOutputHelper output)
{
    [Fact]
    public void The_FFM_beats_popularity_on_the_time_split_holdout()
    {
        var popularity = new PopularityScorer(cohort.Train);
        var pop = HoldoutEvaluation.Evaluate(popularity, cohort.Test, cohort.Catalog);
        var ffm = HoldoutEvaluation.Evaluate(new FfmScorer(cohort.Snapshot), cohort.Test, cohort.Catalog);
        var rules = HoldoutEvaluation.Evaluate(new GuidelineScorer(popularity), cohort.Test, cohort.Catalog);
        foreach (var r in new[] { pop, rules, ffm })
            output.WriteLine($"{r.Name}: AUC {r.Overall.Auc:F3} nDCG@5 {r.Overall.Ndcg5:F3} P@5 {r.Overall.Precision5:F3} MAP {r.Overall.Map:F3} cov {r.Overall.Coverage:F2} n {r.Overall.Patients}");
        // Measured with this seed: AUC 0.686 vs 0.623 (+0.063), nDCG@5 0.163 vs 0.142 (+0.021) over 573 holdout patients
        // (0.671 and 0.157 before training rows were really shuffled).
        // Most of the hidden response depends on profile and format, which popularity ignores; the margins sit a little below
        // the measured gain so a harmless change in sampling does not flip the test, yet a broken field layout would.
        Assert.True(ffm.Overall.Ndcg5 >= pop.Overall.Ndcg5 + 0.01, $"FFM nDCG@5 {ffm.Overall.Ndcg5:F3} vs popularity {pop.Overall.Ndcg5:F3}");
        Assert.True(ffm.Overall.Auc >= pop.Overall.Auc + 0.03, $"FFM AUC {ffm.Overall.Auc:F3} vs popularity {pop.Overall.Auc:F3}");
    }

    [Fact]
    public void Metrics_are_reported_for_every_subgroup_with_the_largest_gap()
    {
        var ffm = HoldoutEvaluation.Evaluate(new FfmScorer(cohort.Snapshot), cohort.Test, cohort.Catalog);
        Assert.Equal(["high", "low", "mid"], ffm.Subgroups.Where(s => s.Dimension == "SES band").Select(s => s.Group));
        Assert.Equal(3, ffm.LargestGap.Count);
        Assert.All(ffm.LargestGap.Values, gap => Assert.InRange(gap, 0, 1));
    }

    [Fact]
    public void LightGBM_LambdaRank_loads_its_native_library_and_ranks()
    {
        var lgbm = new LightGbmScorer(cohort.Train, cohort.Catalog, seed: 1, iterations: 30);
        var result = HoldoutEvaluation.Evaluate(lgbm, cohort.Test, cohort.Catalog);
        output.WriteLine($"{result.Name}: AUC {result.Overall.Auc:F3} nDCG@5 {result.Overall.Ndcg5:F3}");
        Assert.True(result.Overall.Auc > 0.55);
    }

    [Fact]
    public void LightGBM_scores_from_walking_its_trees_equal_ML_NET_scores()
    {
        var lgbm = new LightGbmScorer(cohort.Train, cohort.Catalog, seed: 1, iterations: 30);
        var patients = cohort.Test.Take(50).ToList();
        var expected = lgbm.ScoreWithTransformer(patients, cohort.Catalog.Items).ToList();
        for (var n = 0; n < patients.Count; n++)
            Assert.Equal(expected[n], lgbm.Score(patients[n], cohort.Catalog.Items), (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void Metrics_match_hand_computed_values()
    {
        var ranked = new[] { "a", "b", "c", "d", "e" };
        var relevant = new HashSet<string> { "b", "e" };
        Assert.Equal((1 / Math.Log2(3) + 1 / Math.Log2(6)) / (1 + 1 / Math.Log2(3)), Metrics.NdcgAtK(ranked, relevant, 5), 9);
        Assert.Equal(0.4, Metrics.PrecisionAtK(ranked, relevant, 5), 9);
        Assert.Equal((0.5 + 0.4) / 2, Metrics.AveragePrecision(ranked, relevant), 9);
        Assert.Equal(0.75, Metrics.Auc([(0.1f, false), (0.4f, true), (0.5f, false), (0.8f, true)]), 9);
    }
}
