using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using static Benefit.Recommender.Tests.Serving.ServingTestData;

namespace Benefit.Recommender.Tests.Serving;

public sealed class ClinicianReasonsTests
{
    private static readonly InterventionCatalog Catalog = InterventionCatalog.Load(TestData.InterventionsPath);

    private static Recommendation Suggested(string id) => new(Catalog.Find(id)!, 1, 0.5f, false, false, ["patient words"]);

    [Fact]
    public void A_clinician_reads_the_measurement_against_its_target_not_the_patients_words()
    {
        var patient = Patient(preferences: new Preferences { Delivery = Delivery.InPerson });
        var reasons = ReasonBuilder.ForClinician(patient, Suggested("bp-home-monitoring"));

        Assert.Equal("BP 152/94 mmHg on 3 Nov 2026, target < 140/90.", reasons[0]);
        Assert.DoesNotContain(reasons, r => r.Contains("your", StringComparison.OrdinalIgnoreCase) || r.Contains("you ", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Without_consent_the_clinician_is_told_the_list_is_not_personalised()
    {
        var reasons = ReasonBuilder.ForClinician(Patient(consent: false), Suggested("bp-home-monitoring"));
        Assert.StartsWith("Not personalised", reasons[0]);
    }
}
