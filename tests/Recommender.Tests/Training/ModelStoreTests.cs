using Benefit.Recommender.Registry;
using Benefit.Recommender.Reports;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Tests.Training;

[Collection(CohortCollection.Name)]
public sealed class ModelStoreTests(CohortFixture cohort)
{
    [Fact]
    public void A_saved_version_lists_loads_and_scores_like_the_original_and_temporary_folders_are_ignored()
    {
        var root = Directory.CreateTempSubdirectory();
        try
        {
            var store = new ModelStore(new ModelStoreOptions { Root = root.FullName });
            var card = Card("v1");
            store.Save(cohort.Model, card, ReportWriter.Html(card));
            Directory.CreateDirectory(Path.Combine(root.FullName, ".tmp-v2-abc"));
            Assert.Equal(["v1"], store.List().Select(c => c.Version));
            Assert.Contains("<img", File.ReadAllText(store.PathOf("v1", ModelStore.ReportFile)));
            var loaded = store.LoadSnapshot("v1");
            var patient = Serving.ServingTestData.Patient(cohort.Train[0].PatientId);
            Assert.Equal(cohort.Snapshot.Score(patient, cohort.Catalog.Items), loaded.Score(patient, cohort.Catalog.Items));
            Assert.Equal(card.TrainRows, store.LoadCard("v1").TrainRows);
            Assert.Throws<IOException>(() => store.Save(cohort.Model, card));
            Assert.Throws<ArgumentException>(() => store.LoadCard("../etc"));
        }
        finally
        {
            root.Delete(true);
        }
    }

    [Fact]
    public void The_report_draws_no_subgroup_under_the_minimum_size_and_says_which_it_left_out()
    {
        var card = Card("v-small");
        var model = card.Model;
        var tiny = model.Subgroups[0] with { Metrics = model.Subgroups[0].Metrics with { Patients = ReportWriter.MinimumGroupSize - 1 } };
        var html = ReportWriter.Html(card with { Metrics = [model with { Subgroups = [tiny, .. model.Subgroups.Skip(1)] }] });

        Assert.Contains($"Suppressed (fewer than {ReportWriter.MinimumGroupSize} patients): {tiny.Dimension} {tiny.Group}", html);
        Assert.DoesNotContain("Suppressed", ReportWriter.Html(card));
    }

    private ModelCard Card(string version) => new()
    {
        Version = version, CreatedAt = DateTimeOffset.UnixEpoch, DataCutoff = cohort.Cutoff, TrainRows = cohort.Train.Count,
        HoldoutRows = cohort.Test.Count, Patients = 1500, Interventions = cohort.Catalog.Items.Count, Hyperparameters = CohortFixture.Options,
        TrainingSeconds = 1, Metrics = [Benefit.Recommender.Evaluation.HoldoutEvaluation.Evaluate(new Benefit.Recommender.Evaluation.FfmScorer(cohort.Snapshot), cohort.Test, cohort.Catalog)],
    };
}

public sealed class TrainingOptionsTests
{
    [Fact]
    public void Epochs_are_20_on_small_data_fewer_on_large_data_never_below_4_and_as_given_when_given()
    {
        var automatic = new TrainingOptions();
        Assert.Equal(20, automatic.EpochsFor(53_106));
        Assert.Equal(8, automatic.EpochsFor(884_709));
        Assert.Equal(4, automatic.EpochsFor(10_000_000));
        Assert.Equal(3, new TrainingOptions { Epochs = 3 }.EpochsFor(884_709));
    }

    [Fact]
    public void The_baseline_sample_keeps_whole_patients_and_is_the_same_for_the_same_seed()
    {
        var rows = Enumerable.Range(0, 300).Select(n => new TrainingExample($"p{n % 100:D3}", "x", DateTimeOffset.UnixEpoch.AddDays(n), false, true, [],
            new Subgroup("low", "male", "45-54"))).ToList();
        var sample = TrainingSet.SamplePatients(rows, 10, seed: 5);
        Assert.Equal(30, sample.Count);
        Assert.Equal(10, sample.Select(r => r.PatientId).Distinct().Count());
        Assert.Equal(sample, TrainingSet.SamplePatients(rows, 10, seed: 5));
        Assert.Equal(300, TrainingSet.SamplePatients(rows, 0, seed: 5).Count);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    [InlineData(0)]
    public void A_latent_dimension_that_is_not_a_multiple_of_8_is_refused_because_ML_NET_AVX_kernels_would_ignore_it(int latent)
    {
        var catalog = Benefit.Recommender.Catalog.InterventionCatalog.Load(TestData.InterventionsPath);
        Assert.Throws<ArgumentException>(() => new FfmTrainer(new TrainingOptions { LatentDimension = latent }).Train([], catalog));
    }
}
