using Benefit.Recommender.Catalog;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Features;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Tests.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Tests.Learning;

/// <summary>SNIPS recovers a ranker's true value from lists a different (random) policy served, when the propensities are right.</summary>
public sealed class OffPolicyTests
{
    private static readonly InterventionCatalog Catalog = InterventionCatalog.Load(TestData.InterventionsPath);

    /// <summary>Ranks by a fixed per-item number, whatever the patient.</summary>
    private sealed class FixedScorer(IReadOnlyDictionary<string, double> scores) : IScorer
    {
        public string Name => "fixed";
        public float[] Score(TrainingExample p, IReadOnlyList<Intervention> items) => [.. items.Select(i => (float)scores[i.Id])];
    }

    [Fact]
    public void The_estimate_of_a_ranker_matches_its_true_value_on_uniformly_logged_lists()
    {
        var patient = ServingTestData.Patient("p1");
        var allowed = SafetyFilter.Apply(Catalog.Items, new RecommendationRequest(patient), ServingTestData.Now, new RecommendationOptions()).Allowed;
        var random = new Random(42);
        var truth = allowed.ToDictionary(i => i.Id, _ => 0.05 + 0.6 * random.NextDouble());
        var target = new FixedScorer(truth.ToDictionary(kv => kv.Key, kv => kv.Value + 0.2 * random.NextDouble()));
        var context = ContextFeatures.Encode(patient);
        const int k = 3;
        var rows = new List<TrainingExample>();
        for (var list = 0; list < 6000; list++)
        {
            var shown = allowed.OrderBy(_ => random.Next()).Take(k);
            rows.AddRange(shown.Select(i => new TrainingExample("p1", i.Id, ServingTestData.Now, random.NextDouble() < truth[i.Id], true, context,
                new Subgroup("low", "male", "65-74")) { ListId = $"l{list}", Propensity = (double)k / allowed.Count, ServedContext = patient }));
        }

        var estimate = OffPolicy.Snips(target, rows, Catalog);
        var topK = allowed.Select(i => i.Id).OrderByDescending(id => target.Score(rows[0], [Catalog.Find(id)!])[0]).Take(k);
        var trueValue = topK.Average(id => truth[id]);

        Assert.InRange(estimate.Value, trueValue * 0.9, trueValue * 1.1);
        Assert.True(estimate.EffectiveSampleSize > 500);
        Assert.InRange(estimate.LoggedValue, 0.05, trueValue); // a random list is worse than the ranker's top 3
    }
}
