using System.Text.Json;

namespace Benefit.Recommender.Cohort;

/// <summary>One row of data/demo/patients.json (the lead's roster).</summary>
public sealed record DemoPatient(string Id, string Clinician, string FhirPatientId, int BirthYear, string AgeBand,
    string Sex, string SocioEconomicBand, string Language);

/// <summary>Writes data/demo/fhir/&lt;id&gt;.json: one transaction Bundle per demo patient, read by the FHIR mapping and the test server.</summary>
public static class DemoBundles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<DemoPatient> ReadRoster(string path) =>
        JsonSerializer.Deserialize<List<DemoPatient>>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no patients.");

    public static IReadOnlyList<string> Write(string rosterPath, string outputDirectory, DateOnly asOf, int seed = 42)
    {
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        foreach (var demo in ReadRoster(rosterPath))
        {
            var patient = Sample(demo, asOf, seed);
            var path = Path.Combine(outputDirectory, demo.FhirPatientId + ".json");
            File.WriteAllText(path, FhirBundleBuilder.Build(patient, asOf, birthYear: demo.BirthYear).ToJson() + "\n");
            written.Add(path);
        }
        return written;
    }

    /// <summary>The generated twin of a demo patient: same id, age, sex, SES band and language as the roster says.</summary>
    public static CohortPatient Sample(DemoPatient demo, DateOnly asOf, int seed = 42)
    {
        var rng = new Random(seed ^ ResponseModel.StableHash(demo.Id));
        var age = asOf.Year - demo.BirthYear;
        var patient = PatientSampler.Sample(rng, demo.FhirPatientId, asOf.AddDays(-200), asOf,
            Math.Clamp(age, 45, 85), demo.Sex, demo.SocioEconomicBand, demo.Language);
        // Two demo patients carry a contraindication so the safety filter has something to show.
        if (demo.Id == "demo-patient-06") SetLatest(patient, ObservationKind.Systolic, 184, ObservationKind.Diastolic, 112);
        if (demo.Id == "demo-patient-18") SetLatest(patient, ObservationKind.Phq9, 21, ObservationKind.Gad7, 16);
        return patient;
    }

    private static void SetLatest(CohortPatient p, ObservationKind kind, double value, ObservationKind partner, double partnerValue)
    {
        p.Series[kind].Values[^1] = value;
        if (p.Series[partner].Values.Length == p.Series[kind].Values.Length)
            p.Series[partner].Values[^1] = partnerValue;
    }
}
