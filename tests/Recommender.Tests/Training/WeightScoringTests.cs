using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Tests.Training;

[Collection(CohortCollection.Name)]
public sealed class WeightScoringTests(CohortFixture cohort)
{
    [Fact]
    public void Scoring_from_extracted_weights_equals_the_ML_NET_prediction()
    {
        var engine = cohort.Model.Ml.Model.CreatePredictionEngine<FfmInput, FfmPrediction>(
            cohort.Model.Model, inputSchemaDefinition: FfmInput.Schema(cohort.Model.Space.PatientIds.Count,
                cohort.Model.Space.InterventionIds.Count, cohort.Model.Space.ContextLength, cohort.Model.Space.AttributeLength));
        var compared = 0;
        foreach (var row in cohort.Test.Take(300))
        {
            var item = cohort.Catalog.Find(row.InterventionId)!;
            var expected = engine.Predict(FfmTrainer.ToInput(cohort.Model.Space, row,
                Benefit.Recommender.Features.AttributeFeatures.Encode(item))).Score;
            var fast = cohort.Snapshot.Score(cohort.Snapshot.Patient(row.PatientId, row.Context), item);
            var reference = cohort.Snapshot.Weights.Score([.. cohort.Snapshot.Patient(row.PatientId, row.Context).Features,
                .. cohort.Snapshot.Intervention(item).Features]);
            Assert.Equal(expected, fast, 1e-5f);
            Assert.Equal(expected, reference, 1e-5f);
            compared++;
        }
        Assert.Equal(300, compared);
    }

    [Fact]
    public void A_model_saved_and_loaded_scores_exactly_as_before()
    {
        using var file = new MemoryStream();
        FfmModelFile.Save(cohort.Model, file);
        file.Position = 0;
        var loaded = ModelSnapshot.From(FfmModelFile.Load(file), "reloaded");
        var row = cohort.Test[0];
        var item = cohort.Catalog.Find(row.InterventionId)!;
        Assert.Equal(cohort.Snapshot.Score(cohort.Snapshot.Patient(row.PatientId, row.Context), item),
            loaded.Score(loaded.Patient(row.PatientId, row.Context), item));
    }
}

[Collection(CohortCollection.Name)]
public sealed class ColdStartWeightScoringTests(CohortFixture cohort)
{
    [Fact]
    public void Scoring_an_unknown_patient_and_an_unknown_intervention_from_weights_equals_the_ML_NET_prediction()
    {
        var space = cohort.Model.Space;
        var engine = cohort.Model.Ml.Model.CreatePredictionEngine<FfmInput, FfmPrediction>(cohort.Model.Model,
            inputSchemaDefinition: FfmInput.Schema(space.PatientIds.Count, space.InterventionIds.Count, space.ContextLength, space.AttributeLength));
        var row = cohort.Test[0] with { PatientId = "never-seen", InterventionId = "never-seen-either" };
        var item = cohort.Catalog.Items[3] with { Id = "never-seen-either" };
        var expected = engine.Predict(FfmTrainer.ToInput(space, row, Benefit.Recommender.Features.AttributeFeatures.Encode(item))).Score;
        Assert.Equal(expected, cohort.Snapshot.Score(cohort.Snapshot.Patient(row.PatientId, row.Context), item), 1e-5f);
    }
}
