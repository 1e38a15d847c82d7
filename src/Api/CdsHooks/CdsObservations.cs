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

    public static readonly string PrefetchTemplate =
        "Observation?patient={{context.patientId}}&code=" + FhirServerSource.CodeParameter + "&_sort=-date&_count=100";

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
