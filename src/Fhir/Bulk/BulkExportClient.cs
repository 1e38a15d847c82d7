using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Benefit.Fhir.Bulk;

/// <summary>FHIR Bulk Data client for whole populations: Group/{id}/$export kick-off, status polling and NDJSON download.</summary>
public sealed class BulkExportClient(HttpClient http, TimeProvider time, ILogger<BulkExportClient>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<BulkExportClient>.Instance;

    /// <summary>Poll interval when the server sends no Retry-After.</summary>
    public TimeSpan DefaultPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for an export to finish before giving up.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Kick-off, wait, download and parse in one call.</summary>
    public async Task<BulkExportResult> ExportGroupAsync(string groupId, IEnumerable<string> types, DateTimeOffset? since, CancellationToken cancellationToken = default)
    {
        var status = await KickOffAsync(groupId, types, since, cancellationToken);
        var manifest = await WaitForManifestAsync(status, cancellationToken);
        var resources = new List<Resource>();
        var unreadable = 0;
        foreach (var file in manifest.Output)
        {
            await foreach (var (resource, _) in ReadNdjsonAsync(file.Url, cancellationToken))
            {
                if (resource is null) unreadable++;
                else resources.Add(resource);
            }
        }
        return new BulkExportResult(manifest, resources, unreadable);
    }

    /// <summary>Starts an export with <c>Prefer: respond-async</c>; returns the status URL from Content-Location of the 202.</summary>
    public async Task<Uri> KickOffAsync(string groupId, IEnumerable<string> types, DateTimeOffset? since, CancellationToken cancellationToken = default)
    {
        var query = $"_type={Uri.EscapeDataString(string.Join(",", types))}";
        if (since is { } s)
            query += "&_since=" + Uri.EscapeDataString(s.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"Group/{Uri.EscapeDataString(groupId)}/$export?{query}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        request.Headers.Add("Prefer", "respond-async");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw Failure(response, "Bulk export kick-off");
        var location = response.Content.Headers.ContentLocation ?? response.Headers.Location
            ?? throw new FhirSyncException(FhirSyncFailure.MalformedResponse, "Bulk export kick-off answered 202 without Content-Location.");
        return location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);
    }

    /// <summary>Polls the status URL, waiting as long as Retry-After says (or <see cref="DefaultPollInterval"/>), until the manifest is ready.</summary>
    public async Task<BulkExportManifest> WaitForManifestAsync(Uri statusUrl, CancellationToken cancellationToken = default)
    {
        var deadline = time.GetUtcNow() + MaxWait;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, statusUrl);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<BulkExportManifest>(cancellationToken)
                    ?? throw new FhirSyncException(FhirSyncFailure.MalformedResponse, "Bulk export manifest is empty.");
            }
            if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.TooManyRequests))
                throw Failure(response, "Bulk export status");

            _logger.BulkPoll(statusUrl.ToString(), response.Headers.TryGetValues("X-Progress", out var p) ? string.Join(" ", p) : "in progress");
            var wait = RetryAfter(response) ?? DefaultPollInterval;
            if (time.GetUtcNow() + wait > deadline)
                throw new FhirSyncException(FhirSyncFailure.Timeout, $"Bulk export did not finish within {MaxWait}.");
            await System.Threading.Tasks.Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>Streams one NDJSON output file; a line that is not a FHIR resource yields (null, line number).</summary>
    public async IAsyncEnumerable<(Resource? Resource, int Line)> ReadNdjsonAsync(Uri url, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+ndjson"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw Failure(response, "Bulk export download");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            Resource? resource;
            try { resource = FhirJson.Parse(line); }
            catch (FormatException) { resource = null; }
            yield return (resource, number);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    private static FhirSyncException Failure(HttpResponseMessage response, string step) => new((int)response.StatusCode switch
    {
        401 => FhirSyncFailure.Unauthorized,
        403 => FhirSyncFailure.Forbidden,
        404 => FhirSyncFailure.PatientNotFound,
        408 or 504 => FhirSyncFailure.Timeout,
        429 => FhirSyncFailure.RateLimited,
        _ => FhirSyncFailure.UpstreamError,
    }, $"{step} failed with {(int)response.StatusCode} {response.ReasonPhrase}.");
}
