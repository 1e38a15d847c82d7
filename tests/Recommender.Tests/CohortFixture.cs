using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Tests;

/// <summary>One small generated cohort and one model trained on it, shared by the tests that need them (training is the slow part).</summary>
public sealed class CohortFixture
{
    // The defaults, with 20 passes however small the cohort (the automatic choice for this size too, stated so tests do not drift).
    public static readonly TrainingOptions Options = new() { Seed = 7, Epochs = 20 };

    public CohortFixture()
    {
        Catalog = InterventionCatalog.Load(TestData.InterventionsPath);
        var generator = new CohortGenerator(Catalog, new CohortOptions { Patients = 1500, Interactions = 18000, Seed = 7 });
        Patients = [];
        var interactions = new List<Interaction>();
        for (var n = 0; n < 1500; n++)
        {
            var (patient, history) = generator.Patient(n, 12);
            Patients.Add(patient);
            interactions.AddRange(history);
        }
        Examples = TrainingSet.FromInteractions(interactions, Catalog);
        (Train, Test, Cutoff) = TrainingSet.SplitByTime(Examples, Options.HoldoutWeeks);
        Model = new FfmTrainer(Options).Train(Train, Catalog);
        Snapshot = ModelSnapshot.From(Model, "test-v1");
    }

    public InterventionCatalog Catalog { get; }
    public List<CohortPatient> Patients { get; }
    public List<TrainingExample> Examples { get; }
    public List<TrainingExample> Train { get; }
    public List<TrainingExample> Test { get; }
    public DateTimeOffset Cutoff { get; }
    public TrainedModel Model { get; }
    public ModelSnapshot Snapshot { get; }
}

[CollectionDefinition(Name)]
public sealed class CohortCollection : ICollectionFixture<CohortFixture>
{
    public const string Name = "cohort";
}
