using Benefit.Fhir.Features;
using Hl7.Fhir.Model;

namespace Benefit.Fhir.Sources;

/// <summary>Where a patient's Observations come from: a FHIR server or the embedded demo bundles.</summary>
public interface IObservationSource
{
    /// <summary>Name recorded in provenance (the base URL, or "embedded:…").</summary>
    string Server { get; }

    /// <summary>Fetches the patient's Observations for the brief's codes, only those updated after <paramref name="updatedAfter"/> when given.</summary>
    Task<FetchResult> FetchAsync(string fhirPatientId, DateTimeOffset? updatedAfter, CancellationToken cancellationToken);
}

/// <summary>What one fetch returned. With a failure after some pages, the observations are incomplete and must not be presented as the whole picture.</summary>
public sealed record FetchResult(
    IReadOnlyList<Observation> Observations,
    IReadOnlyList<SkippedObservation> Skipped,
    int Pages,
    FhirSyncFailure Failure = FhirSyncFailure.None,
    string? FailureMessage = null)
{
    public bool IsComplete => Failure == FhirSyncFailure.None;

    public static FetchResult Failed(FhirSyncFailure failure, string message, int pages = 0,
        IReadOnlyList<Observation>? observations = null, IReadOnlyList<SkippedObservation>? skipped = null) =>
        new(observations ?? [], skipped ?? [], pages, failure, message);
}
