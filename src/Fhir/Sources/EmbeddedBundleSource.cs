using System.Security.Cryptography;
using System.Text;
using Benefit.Fhir.Features;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace Benefit.Fhir.Sources;

/// <summary>Reads a patient's Observations from <c>&lt;folder&gt;/&lt;fhir-patient-id&gt;.json</c> (one Bundle per patient) when no server is configured.</summary>
public sealed class EmbeddedBundleSource(IOptions<FhirSourceOptions> options) : IObservationSource
{
    private readonly string _folder = options.Value.EmbeddedBundleFolder;

    public string Server => "embedded:" + _folder;

    public async Task<FetchResult> FetchAsync(string fhirPatientId, DateTimeOffset? updatedAfter, CancellationToken cancellationToken)
    {
        if (fhirPatientId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || fhirPatientId.Contains(".."))
            return FetchResult.Failed(FhirSyncFailure.PatientNotFound, $"'{fhirPatientId}' is not a valid patient id.");
        var path = Path.Combine(_folder, fhirPatientId + ".json");
        if (!File.Exists(path))
            return FetchResult.Failed(FhirSyncFailure.PatientNotFound, $"No embedded bundle for patient '{fhirPatientId}' in {_folder}.");

        Bundle bundle;
        try
        {
            bundle = FhirJson.Parse<Bundle>(await File.ReadAllTextAsync(path, cancellationToken));
        }
        catch (FormatException e)
        {
            return FetchResult.Failed(FhirSyncFailure.MalformedResponse, $"{path}: {e.Message}");
        }
        return ReadEntries(bundle, pages: 1);
    }

    /// <summary>Splits a Bundle into Observations and skipped entries; shared with the bulk and server paths.</summary>
    internal static FetchResult ReadEntries(Bundle bundle, int pages)
    {
        var observations = new List<Observation>();
        var skipped = new List<SkippedObservation>();
        foreach (var entry in bundle.Entry)
        {
            switch (entry.Resource)
            {
                case Observation o:
                    o.Id ??= IdFrom(entry.FullUrl, o);
                    o.Meta ??= new Meta();
                    // Files carry no server version; a content hash makes an edited file count as a change.
                    o.Meta.VersionId ??= ContentVersion(o);
                    observations.Add(o);
                    break;
                case Patient or null:
                    break;
                case OperationOutcome when entry.Search?.Mode == Bundle.SearchEntryMode.Outcome:
                    break;
                case var other:
                    skipped.Add(new SkippedObservation(other.Id ?? entry.FullUrl ?? "(no id)", SkipReasons.NotAnObservation, other.TypeName));
                    break;
            }
        }
        return new FetchResult(observations, skipped, pages);
    }

    private static string IdFrom(string? fullUrl, Observation o) =>
        fullUrl?.Split('/', ':').LastOrDefault(s => s.Length > 0) ?? ContentVersion(o);

    private static string ContentVersion(Observation o) =>
        "sha-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FhirJson.Serialize(o))))[..16];
}
