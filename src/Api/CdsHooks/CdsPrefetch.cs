using System.Text.Json;
using Benefit.Api.Recommendations;
using Benefit.Fhir;
using Benefit.Fhir.Features;
using Benefit.Recommender.Patients;
using Hl7.Fhir.Model;

namespace Benefit.Api.CdsHooks;

/// <summary>The Observations the ranking reads, asked for as a prefetch template, and mapped with the FHIR library like a sync.</summary>
public static class CdsPrefetch
{
    // The LOINC codes the recommender uses (brief §3): BP panels, weight, height, BMI, waist, HbA1c, LDL, steps, exercise, PHQ-9, GAD-7, stress, AUDIT-C, smoking.
    private static readonly string[] Codes =
    [
        "85354-9", "55284-4", "29463-7", "3141-9", "8302-2", "39156-5", "8280-0", "56086-2", "4548-4", "59261-8", "18262-6", "13457-7",
        "41950-7", "82290-8", "89555-7", "68516-4", "44261-6", "44249-1", "70274-6", "69737-5", "93038-8", "75626-2", "72166-2",
    ];

    public static readonly string ObservationsQuery =
        "Observation?patient={{context.patientId}}&code=" + string.Join(",", Codes.Select(c => $"http://loinc.org|{c}")) + "&_sort=-date&_count=100";

    /// <summary>The prefetched Bundle as the recommender's measurements, or the reason it cannot be read.</summary>
    public static (IReadOnlyDictionary<ClinicalFeature, Measurement>? Observations, string? Error) Map(string patientId, JsonElement bundle, TimeProvider clock)
    {
        Bundle parsed;
        try
        {
            parsed = FhirJson.Parse<Bundle>(bundle.GetRawText());
        }
        catch (FormatException e)
        {
            return (null, $"'prefetch.observations' is not a readable FHIR Bundle: {e.Message}");
        }
        var observations = parsed.Entry.Select(e => e.Resource).OfType<Observation>();
        var snapshot = FeatureMapper.Map(patientId, "cds-hooks-prefetch", observations, clock.GetUtcNow());
        return (PatientContextBuilder.Map(snapshot), null);
    }
}
