using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using static Benefit.Recommender.Tests.Serving.ServingTestData;

namespace Benefit.Recommender.Tests.Serving;

[Collection(CohortCollection.Name)]
public sealed class SafetyFilterTests(CohortFixture cohort)
{
    private const string Running = "pa-running-start"; // contraindicated with uncontrolled hypertension

    [Fact]
    public void A_contraindicated_intervention_is_never_served_even_when_endorsed_added_cleared_and_preferred()
    {
        var patient = Patient(systolic: 186, diastolic: 112, preferences: new Preferences
        {
            Delivery = Delivery.InPerson, Setting = Setting.Group, Goals = [RiskTarget.Inactivity, RiskTarget.Weight],
            OnlyCategory = InterventionCategory.PhysicalActivity,
        });
        var request = new RecommendationRequest(patient, Limit: 50)
        {
            Decisions =
            [
                new(Running, ClinicianAction.Endorse, Now.AddDays(-1)), new(Running, ClinicianAction.Add, Now.AddDays(-1)),
                new(Running, ClinicianAction.GrantClearance, Now.AddDays(-1)),
            ],
        };
        var list = Service(cohort.Snapshot, cohort.Catalog).Recommend(request);
        Assert.DoesNotContain(list.Items, r => r.Intervention.Id == Running);
        Assert.Contains(list.Excluded, e => e.InterventionId == Running && e.Reason.Contains("UncontrolledHypertension"));
    }

    [Fact]
    public void Severe_depression_from_the_PHQ9_excludes_self_guided_mood_apps()
    {
        var list = Service(cohort.Snapshot, cohort.Catalog).Recommend(new RecommendationRequest(Patient(phq9: 22), Limit: 50));
        Assert.DoesNotContain(list.Items, r => r.Intervention.Safety.Contraindications.Contains(Contraindication.SevereDepression));
    }

    [Fact]
    public void An_intervention_needing_clearance_appears_only_after_the_care_team_clears_it()
    {
        var needsClearance = cohort.Catalog.Items.First(i => i.Safety.NeedsClinicianClearance && i.Safety.Contraindications.Count == 0);
        var service = Service(cohort.Snapshot, cohort.Catalog);
        var before = service.Recommend(new RecommendationRequest(Patient(), Limit: 50));
        var after = service.Recommend(new RecommendationRequest(Patient(), Limit: 50)
        {
            Decisions = [new(needsClearance.Id, ClinicianAction.GrantClearance, Now)],
        });
        Assert.DoesNotContain(before.Items, r => r.Intervention.Id == needsClearance.Id);
        Assert.Contains(after.Items, r => r.Intervention.Id == needsClearance.Id);
    }

    [Fact]
    public void A_revoked_clearance_withholds_the_intervention_again_until_it_is_cleared_again()
    {
        const string apnoea = "sl-apnoea-screening"; // needs clearance, no contraindication
        var service = Service(cohort.Snapshot, cohort.Catalog);
        ClinicianDecision Decide(ClinicianAction action, int minutes) => new(apnoea, action, Now.AddMinutes(minutes));
        Exclusion? Withheld(params ClinicianDecision[] decisions) =>
            service.Recommend(new RecommendationRequest(Patient(), Limit: 50) { Decisions = decisions }).Excluded.SingleOrDefault(e => e.InterventionId == apnoea);

        Assert.Equal(ExclusionKind.NeedsClearance, Withheld()?.Kind);
        Assert.Null(Withheld(Decide(ClinicianAction.GrantClearance, -3)));
        Assert.Equal(ExclusionKind.NeedsClearance, Withheld(Decide(ClinicianAction.GrantClearance, -3), Decide(ClinicianAction.RevokeClearance, -2))?.Kind);
        Assert.Null(Withheld(Decide(ClinicianAction.Add, -3), Decide(ClinicianAction.RevokeClearance, -2), Decide(ClinicianAction.GrantClearance, -1)));
    }

    [Fact]
    public void A_contraindication_names_the_measurement_behind_it()
    {
        var list = Service(cohort.Snapshot, cohort.Catalog).Recommend(new RecommendationRequest(Patient(systolic: 186, diastolic: 112), Limit: 50));
        var running = list.Excluded.Single(e => e.InterventionId == Running);
        var finding = Assert.Single(running.Contraindications);
        Assert.Equal(Contraindication.UncontrolledHypertension, finding.Condition);
        Assert.Equal(186, finding.Measured!.Measurement.Value);
        Assert.Equal(AlertLevel.Critical, finding.Measured.Level);
        Assert.True(running.ForSafety);
    }

    [Fact]
    public void Hidden_by_the_clinician_and_not_for_me_within_the_period_are_left_out_and_not_for_me_expires()
    {
        var options = new RecommendationOptions { NotForMePeriod = TimeSpan.FromDays(90) };
        var service = Service(cohort.Snapshot, cohort.Catalog, options);
        var request = new RecommendationRequest(Patient(), Limit: 50)
        {
            Decisions = [new("bp-home-monitoring", ClinicianAction.Hide, Now.AddDays(-2))],
            Choices = [new("nu-salt-reduction-app", ChoiceKind.NotForMe, Now.AddDays(-10)), new("pa-walking-group", ChoiceKind.NotForMe, Now.AddDays(-120))],
        };
        var ids = service.Recommend(request).Items.Select(r => r.Intervention.Id).ToList();
        Assert.DoesNotContain("bp-home-monitoring", ids);
        Assert.DoesNotContain("nu-salt-reduction-app", ids);
        Assert.Contains("pa-walking-group", ids);
    }
}
