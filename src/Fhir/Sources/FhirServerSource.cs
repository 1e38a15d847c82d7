using System.Globalization;
using System.Net;
using Benefit.Fhir.Features;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Benefit.Fhir.Sources;

/// <summary>Pulls Observations from a FHIR R4 server with the Firely client over the resilient "Benefit.Fhir" HttpClient.</summary>
public sealed class FhirServerSource(HttpClient http, IOptions<FhirSourceOptions> options) : IObservationSource
{
    public const string HttpClientName = "Benefit.Fhir";

    private readonly FhirSourceOptions _options = options.Value;

    public string Server => _options.BaseUrl!;

    /// <summary>Every LOINC code the service reads, as one OR-ed <c>code</c> parameter (<see cref="FeatureCatalog.CodeParameter"/>).</summary>
    public static string CodeParameter => FeatureCatalog.CodeParameter;

    public FhirClient CreateClient() => new(_options.BaseUrl!, http, new FhirClientSettings
    {
        PreferredFormat = ResourceFormat.Json,
        VerifyFhirVersion = false,
        SerializationEngine = FhirSerializationEngineFactory.Recoverable(ModelInfo.ModelInspector),
    });

    public async Task<FetchResult> FetchAsync(string fhirPatientId, DateTimeOffset? updatedAfter, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var observations = new List<Observation>();
        var skipped = new List<SkippedObservation>();
        var pages = 0;
        try
        {
            // An Observation search for an unknown patient is just empty; reading the Patient tells 404 apart.
            await client.ReadAsync<Patient>($"Patient/{Uri.EscapeDataString(fhirPatientId)}", ct: cancellationToken);

            var query = new SearchParams()
                .Add("patient", $"Patient/{fhirPatientId}")
                .Add("code", CodeParameter)
                .Add("_sort", "-date")
                .Add("_count", _options.PageSize.ToString(CultureInfo.InvariantCulture));
            if (updatedAfter is { } mark)
                query.Add("_lastUpdated", "gt" + mark.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

            var seenNext = new HashSet<string>(StringComparer.Ordinal);
            var page = await client.SearchAsync<Observation>(query, cancellationToken);
            while (page is not null)
            {
                pages++;
                var read = EmbeddedBundleSource.ReadEntries(page, pages);
                observations.AddRange(read.Observations);
                skipped.AddRange(read.Skipped);

                if (page.NextLink is not { } next)
                    break;
                if (!seenNext.Add(next.OriginalString))
                    return FetchResult.Failed(FhirSyncFailure.PagingLoop, $"The server repeated next link {next} after {pages} pages.", pages, observations, skipped);
                if (pages >= _options.MaxPages)
                    return FetchResult.Failed(FhirSyncFailure.TooManyPages, $"Stopped after {pages} pages (Fhir:MaxPages).", pages, observations, skipped);
                // The next link is opaque: followed as given, never rebuilt from our own parameters.
                page = await client.ContinueAsync(page, PageDirection.Next, cancellationToken);
            }
            return new FetchResult(observations, skipped, pages);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Classify(e, pages) is { } failure)
        {
            return FetchResult.Failed(failure.Reason, failure.Message, pages, observations, skipped);
        }
    }

    /// <summary>Maps what the client throws to a failure reason; null for programming errors, which propagate.</summary>
    internal static (FhirSyncFailure Reason, string Message)? Classify(Exception e, int pages) => e switch
    {
        FhirSyncException f => (f.Reason, f.Message),
        FhirOperationException { Status: HttpStatusCode.NotFound } when pages == 0 => (FhirSyncFailure.PatientNotFound, "The FHIR server does not know this patient (404)."),
        FhirOperationException { Status: HttpStatusCode.Unauthorized } => (FhirSyncFailure.Unauthorized, "The FHIR server refused our credentials (401)."),
        FhirOperationException { Status: HttpStatusCode.Forbidden } => (FhirSyncFailure.Forbidden, "The FHIR server denied access (403)."),
        FhirOperationException { Status: HttpStatusCode.TooManyRequests } => (FhirSyncFailure.RateLimited, "The FHIR server kept answering 429 Too Many Requests."),
        FhirOperationException { Status: HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout } f => (FhirSyncFailure.Timeout, $"The FHIR server timed out ({(int)f.Status})."),
        FhirOperationException { Status: >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous } f => (FhirSyncFailure.MalformedResponse, $"Unreadable FHIR response: {f.Message}"),
        FhirOperationException f => (FhirSyncFailure.UpstreamError, $"The FHIR server answered {(int)f.Status}: {f.Message}"),
        TimeoutRejectedException or TaskCanceledException or TimeoutException => (FhirSyncFailure.Timeout, "The FHIR server did not answer within the timeout."),
        BrokenCircuitException => (FhirSyncFailure.CircuitOpen, "Too many recent FHIR failures; calls are paused (circuit open)."),
        HttpRequestException h => (FhirSyncFailure.UpstreamError, $"Could not reach the FHIR server: {h.Message}"),
        FormatException or DeserializationFailedException or System.Text.Json.JsonException =>
            (FhirSyncFailure.MalformedResponse, $"Unreadable FHIR response: {e.Message}"),
        _ => null,
    };
}
