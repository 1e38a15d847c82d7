using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using Microsoft.Extensions.Time.Testing;

namespace Benefit.Recommender.Tests.Serving;

internal static class ServingTestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static PatientContext Patient(string id = "new-patient", double systolic = 152, double diastolic = 94, double phq9 = 4,
        Preferences? preferences = null, bool consent = true) => new()
    {
        PatientId = id, AgeBand = "65-74", Sex = "male", SocioEconomicBand = "low", PersonalisationConsent = consent,
        Preferences = preferences ?? new Preferences(),
        Observations = new Dictionary<ClinicalFeature, Measurement>
        {
            [ClinicalFeature.BloodPressure] = new(systolic, new DateOnly(2026, 11, 3), diastolic),
            [ClinicalFeature.LdlMmolPerL] = new(2.9, new DateOnly(2026, 10, 14)),
            [ClinicalFeature.BodyMassIndex] = new(31.2, new DateOnly(2026, 11, 3)),
            [ClinicalFeature.StepsPerDay] = new(4200, new DateOnly(2026, 11, 20)),
            [ClinicalFeature.Phq9] = new(phq9, new DateOnly(2026, 9, 30)),
            [ClinicalFeature.CurrentSmoker] = new(0, new DateOnly(2026, 9, 30)),
        },
    };

    public static RecommendationService Service(ModelSnapshot model, InterventionCatalog catalog, RecommendationOptions? options = null) =>
        new(new Ranker(model), catalog, options ?? new RecommendationOptions(), new FakeTimeProvider(Now));
}
