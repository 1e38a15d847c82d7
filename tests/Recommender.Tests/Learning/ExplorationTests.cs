using Benefit.Recommender.Catalog;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Tests.Serving;

namespace Benefit.Recommender.Tests.Learning;

/// <summary>Exploration is seeded, rare, safe and honest about itself.</summary>
public sealed class ExplorationTests
{
    private static readonly InterventionCatalog Catalog = InterventionCatalog.Load(TestData.InterventionsPath);
    private static readonly ModelSnapshot Model = new ModelStore(new ModelStoreOptions { Root = Path.GetDirectoryName(TestData.DefaultModelPath)! })
        .LoadSnapshot(Path.GetFileName(TestData.DefaultModelPath));

    private static RecommendationService Service(double share) =>
        ServingTestData.Service(Model, Catalog, new RecommendationOptions { ExplorationShare = share });

    private static IEnumerable<RecommendationList> Lists(double share, RecommendationRequest request, int count = 400) =>
        Enumerable.Range(0, count).Select(n => Service(share).Recommend(request, $"list-{n}"));

    [Fact]
    public void About_the_configured_share_of_lists_explore_and_the_same_list_id_gives_the_same_list()
    {
        var request = new RecommendationRequest(ServingTestData.Patient(), 3);
        var explored = Lists(0.1, request).Count(l => l.Items.Any(i => i.Explored));
        Assert.InRange(explored, 20, 65);
        Assert.Equal(Service(0.1).Recommend(request, "list-7").Items.Select(i => i.Intervention.Id),
            Service(0.1).Recommend(request, "list-7").Items.Select(i => i.Intervention.Id));
        Assert.DoesNotContain(Lists(0, request, 50), l => l.Items.Any(i => i.Explored));
    }

    [Fact]
    public void An_explored_item_is_never_contraindicated_declined_or_outside_the_stated_wishes_and_says_why_it_is_there()
    {
        // BP 184/112: uncontrolled hypertension; the patient only wants free, in-person help and declined the walking group.
        var patient = ServingTestData.Patient(systolic: 184, diastolic: 112, preferences: new() { MaxCostEuroCents = 0, Delivery = Delivery.InPerson });
        var request = new RecommendationRequest(patient, 3)
        {
            Choices = [new PatientChoice("pa-walking-group", ChoiceKind.NotForMe, ServingTestData.Now.AddDays(-3))],
        };
        var explored = Lists(0.5, request).SelectMany(l => l.Items).Where(i => i.Explored).ToList();
        Assert.NotEmpty(explored);
        Assert.All(explored, i =>
        {
            Assert.DoesNotContain(Contraindication.UncontrolledHypertension, i.Intervention.Safety.Contraindications);
            Assert.NotEqual("pa-walking-group", i.Intervention.Id);
            Assert.Equal((0, Delivery.InPerson), (i.Intervention.CostEuroCents, i.Intervention.Format.Delivery));
            Assert.Contains(i.Reasons[0], new[] { Exploration.NewReason, Exploration.TryReason });
            Assert.InRange(i.Propensity, 0.0001, 0.5);
        });
    }

    [Fact]
    public void Greedy_items_carry_their_propensity_and_patients_without_personalisation_consent_never_explore()
    {
        var list = Service(0.1).Recommend(new RecommendationRequest(ServingTestData.Patient(), 3), "list-x");
        if (!list.Items[^1].Explored)
            Assert.Equal([1, 1, 0.9], list.Items.Select(i => Math.Round(i.Propensity, 6)));

        var withoutConsent = new RecommendationRequest(ServingTestData.Patient(consent: false), 3);
        Assert.DoesNotContain(Lists(0.5, withoutConsent, 100), l => l.Items.Any(i => i.Explored || i.Propensity != 1));
    }

    [Fact]
    public void Without_a_model_the_guideline_rules_rank_out_of_range_risk_factors_first()
    {
        var service = new RecommendationService(null, Catalog, new RecommendationOptions(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(ServingTestData.Now));
        var list = service.Recommend(new RecommendationRequest(ServingTestData.Patient(), 3));
        Assert.Equal(RecommendationList.GuidelineVersion, list.ModelVersion);
        // BP 152/94, LDL 2.9, BMI 31, 4,200 steps: the first items address some of them.
        Assert.All(list.Items.Take(2), i => Assert.Contains(i.Intervention.Targets,
            t => t is RiskTarget.BloodPressure or RiskTarget.Ldl or RiskTarget.Weight or RiskTarget.Inactivity));
    }
}
