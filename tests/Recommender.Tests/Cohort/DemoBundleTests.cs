using Benefit.Recommender.Cohort;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Benefit.Recommender.Tests.Cohort;

public sealed class DemoBundleTests
{
    private static readonly string Folder = Path.Combine(TestData.RepoRoot, "data", "demo", "fhir");

    [Fact]
    public void Every_demo_patient_has_a_bundle_whose_Patient_id_is_the_demo_id_and_the_folder_stays_small()
    {
        var roster = DemoBundles.ReadRoster(TestData.DemoPatientsPath);
        Assert.Equal(40, roster.Count);
        foreach (var demo in roster)
        {
            var bundle = Parse(demo.FhirPatientId);
            Assert.Equal(Bundle.BundleType.Transaction, bundle.Type);
            Assert.Equal(demo.FhirPatientId, bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Id);
        }
        Assert.True(Directory.GetFiles(Folder).Sum(f => new FileInfo(f).Length) < 1_600_000);
    }

    [Fact]
    public void Demo_bundles_carry_dated_observations_with_LOINC_codes_and_UCUM_units()
    {
        var observations = Parse("demo-patient-01").Entry.Select(e => e.Resource).OfType<Observation>().ToList();
        var codes = observations.Select(o => o.Code.Coding[0].Code).ToHashSet();
        foreach (var code in new[] { "85354-9", "29463-7", "8302-2", "39156-5", "8280-0", "4548-4", "18262-6", "2093-3", "2085-9", "72166-2", "41950-7", "82290-8", "44261-6", "70274-6", "93038-8", "75626-2" })
            Assert.Contains(code, codes);
        var bp = observations.Where(o => o.Code.Coding[0].Code == "85354-9").ToList();
        Assert.True(bp.Count >= 4, "several blood pressures over the last months, so trends exist");
        Assert.All(bp, o => Assert.Equal(["8480-6", "8462-4"], o.Component.Select(c => c.Code.Coding[0].Code)));
        Assert.All(bp, o => Assert.Equal("mm[Hg]", Assert.IsType<Quantity>(o.Component[0].Value).Code));
        Assert.All(observations.Select(o => o.Value).OfType<Quantity>(), q => Assert.Equal("http://unitsofmeasure.org", q.System));
    }

    [Fact]
    public void Demo_patient_06_has_uncontrolled_blood_pressure_so_the_safety_filter_has_something_to_show()
    {
        var latest = Parse("demo-patient-06").Entry.Select(e => e.Resource).OfType<Observation>()
            .Where(o => o.Code.Coding[0].Code == "85354-9").MaxBy(o => Assert.IsType<FhirDateTime>(o.Effective).Value)!;
        Assert.Equal(184m, Assert.IsType<Quantity>(latest.Component[0].Value).Value);
    }

    private static Bundle Parse(string id) =>
        new FhirJsonDeserializer().Deserialize<Bundle>(File.ReadAllText(Path.Combine(Folder, id + ".json")));
}
