using Benefit.Recommender.Training;
using Benefit.Recommender.Evaluation;

namespace Benefit.Recommender.Tests.Training;

public sealed class PromotionPolicyTests
{
    private static RankerResult Result(double overall, double low, double mid, double high) => new("x",
        new MetricSet(0.7, overall, 0, 0, 0, 0, 100),
        [
            new SubgroupResult("SES band", "low", new MetricSet(0.7, low, 0, 0, 0, 0, 30)),
            new SubgroupResult("SES band", "mid", new MetricSet(0.7, mid, 0, 0, 0, 0, 40)),
            new SubgroupResult("SES band", "high", new MetricSet(0.7, high, 0, 0, 0, 0, 30)),
        ],
        new Dictionary<string, double> { ["SES band"] = new[] { low, mid, high }.Max() - new[] { low, mid, high }.Min() });

    [Fact]
    public void A_challenger_that_helps_most_groups_but_hurts_the_low_SES_group_is_rejected()
    {
        var champion = Result(0.40, low: 0.38, mid: 0.40, high: 0.42);
        var challenger = Result(0.43, low: 0.33, mid: 0.45, high: 0.50);

        var decision = PromotionPolicy.Decide(champion, challenger, tolerance: 0.01);

        Assert.False(decision.Promote);
        Assert.Contains("SES band 'low' dropped from 0.380 to 0.330", decision.Reason);
        Assert.Contains("gap between socio-economic groups grew", decision.Reason);
    }

    [Fact]
    public void A_challenger_that_is_better_everywhere_is_promoted()
    {
        var decision = PromotionPolicy.Decide(Result(0.40, 0.38, 0.40, 0.42), Result(0.42, 0.41, 0.42, 0.43), tolerance: 0.01);
        Assert.True(decision.Promote, decision.Reason);
    }

    [Fact]
    public void A_challenger_worse_overall_beyond_the_tolerance_is_rejected_but_within_it_is_promoted()
    {
        Assert.False(PromotionPolicy.Decide(Result(0.40, 0.40, 0.40, 0.40), Result(0.38, 0.40, 0.40, 0.40), 0.01).Promote);
        Assert.True(PromotionPolicy.Decide(Result(0.40, 0.40, 0.40, 0.40), Result(0.395, 0.40, 0.40, 0.40), 0.01).Promote);
    }
}
