using Benefit.Recommender.Evaluation;

namespace Benefit.Recommender.Tests.Evaluation;

public sealed class RatingsEvaluationTests
{
    private static List<Rating> Ratings()
    {
        var rng = new Random(5);
        return [.. Enumerable.Range(0, 3000).Select(n => new Rating($"u{rng.Next(60)}", $"i{(int)Math.Sqrt(rng.Next(900))}", 4, n))
            .DistinctBy(r => (r.User, r.Item))];
    }

    [Fact]
    public void The_split_is_75_25_within_every_item_and_the_same_for_the_same_seed()
    {
        var ratings = Ratings();
        var (train, test) = RatingsEvaluation.Split(ratings, new RatingsOptions());
        Assert.Equal(ratings.Count, train.Count + test.Count);
        foreach (var item in ratings.GroupBy(r => r.Item))
            Assert.Equal((int)Math.Round(item.Count() * 0.75), train.Count(r => r.Item == item.Key));
        Assert.Equal(train, RatingsEvaluation.Split(ratings, new RatingsOptions()).Train);
    }

    [Fact]
    public void Popularity_and_the_FFM_produce_top_10_metrics_between_zero_and_one()
    {
        var results = RatingsEvaluation.Run(Ratings(), new RatingsOptions { Epochs = 3 });
        Assert.Equal(["Popularity", "FFM (ids only)"], results.Select(r => r.Name));
        Assert.All(results, r => Assert.InRange(r.Ndcg, 0.01, 1));
    }
}
