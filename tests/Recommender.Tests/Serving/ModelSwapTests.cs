using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;
using static Benefit.Recommender.Tests.Serving.ServingTestData;

namespace Benefit.Recommender.Tests.Serving;

[Collection(CohortCollection.Name)]
public sealed class ModelSwapTests(CohortFixture cohort)
{
    [Fact]
    public async Task Concurrent_requests_during_model_swaps_never_mix_two_versions_in_one_list()
    {
        var v1 = cohort.Snapshot;
        var v2 = new ModelSnapshot("test-v2", v1.Space, v1.Weights);
        var ranker = new Ranker(v1);
        var service = new RecommendationService(ranker, cohort.Catalog, new RecommendationOptions(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));
        var expected = new Dictionary<string, float[]>();
        foreach (var snapshot in new[] { v1, v2 })
            expected[snapshot.Version] = [.. cohort.Catalog.Items.Select(i => snapshot.Score(snapshot.Patient(Patient()), i))];

        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            for (var n = 0; n < 2000; n++) ranker.Swap(n % 2 == 0 ? v2 : v1);
            stop.Cancel();
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var lists = 0;
            while (!stop.IsCancellationRequested || lists < 50)
            {
                var list = service.Recommend(new RecommendationRequest(Patient(), Limit: 10));
                Assert.Contains(list.ModelVersion, expected.Keys);
                foreach (var item in list.Items)
                    Assert.Equal(expected[list.ModelVersion][IndexOf(item.Intervention.Id)], item.Score);
                lists++;
            }
            return lists;
        })).ToArray();
        await swapper;
        Assert.All(await Task.WhenAll(readers), n => Assert.True(n >= 50));
    }

    [Fact]
    public void A_swap_returns_the_previous_snapshot_so_it_can_be_rolled_back()
    {
        var ranker = new Ranker(cohort.Snapshot);
        var next = new ModelSnapshot("test-v3", cohort.Snapshot.Space, cohort.Snapshot.Weights);
        Assert.Same(cohort.Snapshot, ranker.Swap(next));
        Assert.Same(next, ranker.Current);
    }

    [Fact]
    public void The_same_seed_trains_the_same_model_with_identical_scores()
    {
        var small = cohort.Train.Take(4000).ToList();
        var options = new TrainingOptions { Seed = 11, Epochs = 3 };
        var a = ModelSnapshot.From(new FfmTrainer(options).Train(small, cohort.Catalog), "a");
        var b = ModelSnapshot.From(new FfmTrainer(options).Train(small, cohort.Catalog), "b");
        var patient = Patient(small[0].PatientId);
        Assert.Equal(a.Score(patient, cohort.Catalog.Items), b.Score(patient, cohort.Catalog.Items));
    }

    private int IndexOf(string id) => cohort.Catalog.Items.Select((i, n) => (i.Id, n)).First(x => x.Id == id).n;
}
