using System.Net.Http.Headers;
using System.Text.Json;
using Benefit.Api.Recommendations;
using Benefit.Fhir;
using Benefit.Fhir.Features;
using Benefit.Fhir.Sources;
using Benefit.Recommender.Patients;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace Benefit.Api.CdsHooks;

/// <summary>Where a hook call's measurements come from: prefetch first, then the EHR's FHIR server, else the stored snapshot.</summary>
public sealed class CdsObservations(IHttpClientFactory http, IOptions<CdsHooksOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "Benefit.CdsHooks.Fhir";

    // The LOINC codes the recommender uses (brief §3): BP panels, weight, height, BMI, waist, HbA1c, LDL, steps, exercise, PHQ-9, GAD-7, stress, AUDIT-C, smoking.
    private static readonly string[] Codes =
    [
        "85354-9", "55284-4", "29463-7", "3141-9", "8302-2", "39156-5", "8280-0", "56086-2", "4548-4", "59261-8", "18262-6", "13457-7",
        "41950-7", "82290-8", "89555-7", "68516-4", "44261-6", "44249-1", "70274-6", "69737-5", "93038-8", "75626-2", "72166-2",
    ];

    public static readonly string PrefetchTemplate =
        "Observation?patient={{context.patientId}}&code=" + string.Join(",", Codes.Select(c => $"http://loinc.org|{c}")) + "&_sort=-date&_count=100";

    /// <summary>Measurements for the ranking, null to keep the stored snapshot; Source says which was used, Error a malformed prefetch.</summary>
    public async Task<(IReadOnlyDictionary<ClinicalFeature, Measurement>? Measured, string Source, string? Error)> ReadAsync(
        string patientId, CdsHookRequest request, CancellationToken ct)
    {
        if (request.ObservationsPrefetch is { } bundle)
        {
            Bundle parsed;
            try
            {
                parsed = FhirJson.Parse<Bundle>(bundle.GetRawText());
            }
            catch (FormatException e)
            {
                return (null, "prefetch", $"'prefetch.observations' is not a readable FHIR Bundle: {e.Message}");
            }
            return (Map(patientId, "cds-hooks-prefetch", parsed.Entry.Select(e => e.Resource).OfType<Observation>()), "prefetch", null);
        }

        if (request.FhirServer is not { } server || request.FhirAccessToken is not { } token)
            return (null, "stored snapshot", null);
        if (!options.Value.AllowedFhirServers.Any(a => string.Equals(a.TrimEnd('/'), server.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
            return (null, "stored snapshot (fhirServer not allowed)", null);

        using var client = http.CreateClient(HttpClientName);
        client.Timeout = options.Value.FhirTimeout;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var source = new FhirServerSource(client, Options.Create(new FhirSourceOptions { BaseUrl = server, PageSize = 100, MaxPages = options.Value.MaxPages }));
        var fetched = await source.FetchAsync(request.PatientId, null, ct);
        // A partial read is not the whole picture; the stored snapshot is the better basis then.
        return fetched.IsComplete
            ? (Map(patientId, server, fetched.Observations), "fhirServer", null)
            : (null, $"stored snapshot (fhirServer: {fetched.Failure})", null);
    }

    private IReadOnlyDictionary<ClinicalFeature, Measurement> Map(string patientId, string server, IEnumerable<Observation> observations) =>
        PatientContextBuilder.Map(FeatureMapper.Map(patientId, server, observations, clock.GetUtcNow()));

    public static bool IsBundle(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("resourceType", out var type) && type.GetString() == "Bundle";
}
