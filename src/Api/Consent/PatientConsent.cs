namespace Benefit.Api.Consent;

/// <summary>The patient's current consent; both flags default to false until the patient says otherwise.</summary>
public sealed class PatientConsent
{
    public required string PatientId { get; init; }
    public bool Personalisation { get; set; }
    public bool Training { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One dated change of a consent flag; never edited.</summary>
public sealed class ConsentChange
{
    public long Id { get; init; }
    public required string PatientId { get; init; }
    public required string Flag { get; init; }
    public bool Value { get; init; }
    public DateTime ChangedAt { get; init; }
    public required string ChangedBy { get; init; }
}
