namespace Benefit.Fhir;

/// <summary>Why a sync with the FHIR source did not complete; the HTTP layer maps it with <see cref="FhirSyncException.SuggestedStatusCode"/>.</summary>
public enum FhirSyncFailure
{
    None,
    PatientNotFound,
    Unauthorized,
    Forbidden,
    RateLimited,
    UpstreamError,
    Timeout,
    CircuitOpen,
    MalformedResponse,
    PagingLoop,
    TooManyPages,
    /// <summary>The patient is linked to a FHIR server this deployment does not read; nothing is fetched from any other.</summary>
    UnknownServer,
}

/// <summary>A sync that could not give a complete picture of the patient's observations.</summary>
public sealed class FhirSyncException(FhirSyncFailure reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public FhirSyncFailure Reason { get; } = reason;

    /// <summary>404 for an unknown FHIR patient, 409 for a link to a server this deployment does not read, 504 when the source was too slow, otherwise 502.</summary>
    public int SuggestedStatusCode => StatusCodeFor(Reason);

    public static int StatusCodeFor(FhirSyncFailure reason) => reason switch
    {
        FhirSyncFailure.PatientNotFound => 404,
        FhirSyncFailure.Timeout => 504,
        FhirSyncFailure.UnknownServer => 409,
        _ => 502,
    };
}
