using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Tests.Cohort;

[Collection(CohortCollection.Name)]
public sealed class CohortGeneratorTests(CohortFixture cohort)
{
    [Fact]
    public void The_cohort_looks_like_a_cardiac_rehab_population()
    {
        var p = cohort.Patients;
        Assert.InRange(p.Count(x => x.Sex == "male") / (double)p.Count, 0.66, 0.74);
        Assert.InRange(p.Count(x => x.SocioEconomicBand == "low") / (double)p.Count, 0.26, 0.34);
        Assert.InRange(p.Count(x => x.SocioEconomicBand == "mid") / (double)p.Count, 0.36, 0.44);
        Assert.InRange(p.Min(x => x.Age), 45, 50);
        Assert.InRange(p.Max(x => x.Age), 80, 85);
        var asOf = new CohortOptions().AsOf;
        var smokers = p.Count(x => x.ContextAt(asOf).Latest(ClinicalFeature.CurrentSmoker) is { Value: 1 }) / (double)p.Count;
        Assert.InRange(smokers, 0.16, 0.24);
        var hypertensive = p.Count(x => x.Series[ObservationKind.Systolic].Values.Average() >= 135) / (double)p.Count;
        Assert.InRange(hypertensive, 0.45, 0.70);
        Assert.InRange(p.Average(x => x.Series[ObservationKind.Bmi].Values[0]), 26.5, 29.5);
    }

    [Fact]
    public void The_same_seed_writes_the_same_files()
    {
        var catalog = InterventionCatalog.Load(TestData.InterventionsPath);
        var options = new CohortOptions { Patients = 50, Interactions = 400, Seed = 3, FhirPatients = 2 };
        var a = Directory.CreateTempSubdirectory();
        var b = Directory.CreateTempSubdirectory();
        try
        {
            new CohortGenerator(catalog, options).Write(a.FullName);
            new CohortGenerator(catalog, options).Write(b.FullName);
            foreach (var file in new[] { "profiles.csv", "interactions.csv", "fhir.ndjson" })
                Assert.Equal(File.ReadAllText(Path.Combine(a.FullName, file)), File.ReadAllText(Path.Combine(b.FullName, file)));
        }
        finally
        {
            a.Delete(true);
            b.Delete(true);
        }
    }

    [Fact]
    public void Low_SES_patients_keep_up_free_in_person_group_programmes_more_than_paid_online_ones()
    {
        var truth = new ResponseModel(7);
        var free = cohort.Catalog.Find("pa-walking-group")!;
        var paidOnline = cohort.Catalog.Find("wt-online-coach")!;
        var low = cohort.Patients.Where(x => x.SocioEconomicBand == "low").Take(200).ToList();
        var asOf = new CohortOptions().AsOf;
        Assert.True(low.Average(x => truth.KeepUpProbability(x, x.ContextAt(asOf), free))
            > low.Average(x => truth.KeepUpProbability(x, x.ContextAt(asOf), paidOnline)) + 0.1);
    }
}
