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
    public void The_default_split_keeps_the_floor_of_75_percent_of_every_users_ratings_for_training()
    {
        var ratings = Ratings();
        var (train, test) = RatingsEvaluation.Split(ratings, new RatingsOptions());
        Assert.Equal(ratings.Count, train.Count + test.Count);
        foreach (var user in ratings.GroupBy(r => r.User))
        {
            Assert.Equal((int)Math.Floor(user.Count() * 0.75), train.Count(r => r.User == user.Key));
            Assert.Equal(user.Count() - (int)Math.Floor(user.Count() * 0.75), test.Count(r => r.User == user.Key));
        }
        Assert.Equal(train, RatingsEvaluation.Split(ratings, new RatingsOptions()).Train);
    }

    [Fact]
    public void A_user_with_ten_ratings_trains_on_seven_and_is_tested_on_three()
    {
        var ratings = Enumerable.Range(0, 10).Select(n => new Rating("u", $"i{n}", 5, n)).ToList();
        var (train, test) = RatingsEvaluation.Split(ratings, new RatingsOptions());
        Assert.Equal(7, train.Count);
        Assert.Equal(3, test.Count);
    }

    [Fact]
    public void Stratifying_by_item_keeps_the_floor_of_75_percent_of_every_items_ratings()
    {
        var ratings = Ratings();
        var (train, _) = RatingsEvaluation.Split(ratings, new RatingsOptions { StratifyBy = "item" });
        foreach (var item in ratings.GroupBy(r => r.Item))
            Assert.Equal((int)Math.Floor(item.Count() * 0.75), train.Count(r => r.Item == item.Key));
    }

    [Fact]
    public void No_ranker_ever_recommends_an_item_the_user_rated_in_training()
    {
        var (train, _) = RatingsEvaluation.Split(Ratings(), new RatingsOptions());
        var m = new RatingsMatrix(train);
        IRatingsRanker[] rankers = [new PopularityRanker(m), CooccurrenceRanker.Sar(m, 30), CooccurrenceRanker.ItemKnn(m),
            RatingsFfm.Train(m, new RatingsFfmSettings { Epochs = 2, LatentDimension = 8 }).Ranker];
        var scores = new float[m.Items.Length];
        foreach (var ranker in rankers)
            for (var u = 0; u < m.Users.Length; u++)
            {
                var seen = m.UserRatings[u].Select(r => m.Items[r.Item]).ToHashSet();
                var top = RatingsEvaluation.Top(ranker, m, u, 10, scores);
                Assert.Equal(Math.Min(10, m.Items.Length - seen.Count), top.Count);
                Assert.DoesNotContain(top, seen.Contains);
            }
    }

    [Fact]
    public void The_metrics_match_a_hand_computed_example()
    {
        // Ranked a, b, c, d, e with b and d relevant and a third relevant item f never ranked; k = 5.
        string[] ranked = ["a", "b", "c", "d", "e"];
        var relevant = new HashSet<string> { "b", "d", "f" };
        // DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068; ideal = 1 + 0.63093 + 0.5.
        Assert.Equal((0.6309298 + 0.4306766) / (1 + 0.6309298 + 0.5), Metrics.NdcgAtK(ranked, relevant, 5), 6);
        Assert.Equal(2.0 / 5, Metrics.PrecisionAtK(ranked, relevant, 5), 10);
        Assert.Equal(2.0 / 3, Metrics.RecallAtK(ranked, relevant, 5), 10);
        // Hits at ranks 2 and 4: (1/2 + 2/4) ÷ min(3 relevant, k = 5).
        Assert.Equal((0.5 + 0.5) / 3, Metrics.AveragePrecision(ranked, relevant, 5), 10);
        // With k = 2 only the hit at rank 2 counts, divided by min(3, 2).
        Assert.Equal(0.5 / 2, Metrics.AveragePrecision(ranked, relevant, 2), 10);
    }

    [Fact]
    public void Item_knn_and_SAR_score_a_hand_computed_example()
    {
        // u1 rated x and y, u2 rated x and z, u3 rated y: c(x,y) = 1, c(x,z) = 1, c(x) = 2, c(y) = 2, c(z) = 1.
        var train = new List<Rating> { new("u1", "x", 4, 0), new("u1", "y", 4, 0), new("u2", "x", 2, 0), new("u2", "z", 2, 0), new("u3", "y", 5, 0) };
        var m = new RatingsMatrix(train);
        var scores = new float[3];
        CooccurrenceRanker.ItemKnn(m).Score(m.UserIndex("u3"), scores);
        // u3 has y: score(x) = cos(y,x) = 1/√(2·2), score(z) = cos(y,z) = 0.
        Assert.Equal([0.5f, 1f, 0f], scores);
        CooccurrenceRanker.Sar(m, 30).Score(m.UserIndex("u3"), scores);
        // Affinity 5 (no decay: one timestamp); Jaccard(y,x) = 1/(2+2−1), Jaccard(y,y) = 1.
        Assert.Equal(5f / 3, scores[0], 5);
        Assert.Equal(5f, scores[1], 5);
        Assert.Equal(0f, scores[2]);
    }

    [Fact]
    public void Every_ranker_produces_top_10_metrics_between_zero_and_one()
    {
        var results = RatingsEvaluation.Run(Ratings(), new RatingsOptions { Ffm = new RatingsFfmSettings { Epochs = 3 } });
        Assert.Equal(["Popularity", "SAR (Jaccard, time decay)", "Item-kNN (cosine)", "FFM"], results.Select(r => r.Name));
        Assert.All(results, r => Assert.InRange(r.Ndcg, 0.01, 1));
    }
}
