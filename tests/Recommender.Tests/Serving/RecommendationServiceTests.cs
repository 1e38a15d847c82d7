using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using static Benefit.Recommender.Tests.Serving.ServingTestData;

namespace Benefit.Recommender.Tests.Serving;

[Collection(CohortCollection.Name)]
public sealed class RecommendationServiceTests(CohortFixture cohort)
{
    [Fact]
    public void Reasons_quote_the_real_blood_pressure_and_its_date()
    {
        var list = Service(cohort.Snapshot, cohort.Catalog).Recommend(new RecommendationRequest(Patient(), Limit: 50));
        var bp = list.Items.First(r => r.Intervention.Targets.Contains(RiskTarget.BloodPressure));
        Assert.Contains("Your blood pressure was 152/94 on 3 Nov; the target is below 140/90.", bp.Reasons);
        Assert.All(list.Items, r => Assert.InRange(r.Reasons.Count, 2, 3));
    }

    [Fact]
    public void At_most_two_per_category_in_the_top_five_unless_one_category_was_asked_for()
    {
        var service = Service(cohort.Snapshot, cohort.Catalog);
        var mixed = service.Recommend(new RecommendationRequest(Patient(), Limit: 5));
        Assert.All(mixed.Items.GroupBy(r => r.Intervention.Category), g => Assert.True(g.Count() <= 2));
        var onlyActivity = service.Recommend(new RecommendationRequest(
            Patient(preferences: new Preferences { OnlyCategory = InterventionCategory.PhysicalActivity }), Limit: 5));
        Assert.All(onlyActivity.Items, r => Assert.Equal(InterventionCategory.PhysicalActivity, r.Intervention.Category));
        Assert.True(onlyActivity.Items.Count > 2);
    }

    [Fact]
    public void Without_personalisation_consent_everyone_gets_the_same_list_flagged_as_not_personalised()
    {
        var service = Service(cohort.Snapshot, cohort.Catalog);
        var a = service.Recommend(new RecommendationRequest(Patient("a", consent: false)));
        var b = service.Recommend(new RecommendationRequest(Patient("b", systolic: 120, diastolic: 70, consent: false)));
        Assert.False(a.Personalised);
        Assert.NotNull(a.Notice);
        Assert.Equal(a.Items.Select(r => r.Intervention.Id), b.Items.Select(r => r.Intervention.Id));
        Assert.DoesNotContain(a.Items.SelectMany(r => r.Reasons), r => r.Contains("152/94"));
    }

    [Fact]
    public void An_endorsed_intervention_comes_first_and_is_flagged_as_recommended_by_the_care_team()
    {
        var list = Service(cohort.Snapshot, cohort.Catalog).Recommend(new RecommendationRequest(Patient())
        {
            Decisions = [new("sl-sleep-course", ClinicianAction.Endorse, Now)],
        });
        Assert.Equal("sl-sleep-course", list.Items[0].Intervention.Id);
        Assert.True(list.Items[0].EndorsedByCareTeam);
    }

    [Fact]
    public void A_limit_out_of_range_is_rejected()
    {
        var service = Service(cohort.Snapshot, cohort.Catalog);
        Assert.Throws<ArgumentOutOfRangeException>(() => service.Recommend(new RecommendationRequest(Patient(), Limit: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => service.Recommend(new RecommendationRequest(Patient(), Limit: 51)));
    }
}
