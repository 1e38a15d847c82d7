using Benefit.Recommender.Catalog;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using static Benefit.Recommender.Tests.Serving.ServingTestData;

namespace Benefit.Recommender.Tests.Serving;

[Collection(CohortCollection.Name)]
public sealed class ColdStartTests(CohortFixture cohort)
{
    [Fact]
    public void A_new_patient_is_ranked_from_context_and_different_profiles_get_different_lists()
    {
        var model = cohort.Snapshot;
        Assert.Equal(-1, model.Space.PatientIndex("brand-new"));
        var smoker = Patient("brand-new", systolic: 128, diastolic: 80) with
        {
            Observations = new Dictionary<ClinicalFeature, Measurement> { [ClinicalFeature.CurrentSmoker] = new(1, new DateOnly(2026, 11, 1)) },
        };
        var scores = model.Score(smoker, cohort.Catalog.Items);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        var other = model.Score(Patient("brand-new-2"), cohort.Catalog.Items);
        Assert.NotEqual(scores, other);
    }

    [Fact]
    public void Cold_start_patients_in_the_holdout_are_ranked_better_than_chance()
    {
        // Renaming the holdout patients makes every one of them unknown to the model: only their context speaks for them.
        var unseen = cohort.Test.Select(r => r with { PatientId = "cold-" + r.PatientId }).ToList();
        Assert.All(unseen, r => Assert.Equal(-1, cohort.Snapshot.Space.PatientIndex(r.PatientId)));
        var result = HoldoutEvaluation.Evaluate(new FfmScorer(cohort.Snapshot), unseen, cohort.Catalog);
        Assert.True(result.Overall.Auc > 0.55, $"cold-start AUC {result.Overall.Auc:F3}");
    }

    [Fact]
    public void A_new_intervention_is_scored_from_its_attributes_like_its_nearest_twin()
    {
        var model = cohort.Snapshot;
        var walking = cohort.Catalog.Find("pa-walking-group")!;
        var twin = walking with { Id = "pa-walking-group-new-town" };
        var smoking = cohort.Catalog.Find("sc-group-course")!;
        Assert.Equal(-1, model.Space.InterventionIndex(twin.Id));
        var patient = model.Patient(Patient(preferences: new Preferences { Goals = [RiskTarget.Inactivity] }));
        var twinScore = model.Score(patient, twin);
        Assert.True(float.IsFinite(twinScore));
        Assert.True(Math.Abs(twinScore - model.Score(patient, walking)) < Math.Abs(twinScore - model.Score(patient, smoking)) + 1.0f);
        Assert.NotEqual(model.Score(patient, twin), model.Score(patient, twin with { Id = "x", Category = InterventionCategory.Sleep, Targets = [RiskTarget.Sleep] }));
    }
}
