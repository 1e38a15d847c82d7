namespace Benefit.Api.Observations;

/// <summary>The FHIR sync state of one patient (observations, mark, last good snapshot) as JSON, plus the last outcome for lists.</summary>
public sealed class PatientSyncRecord
{
    public required string PatientId { get; init; }
    public required string StateJson { get; set; }
    public string? LastStatus { get; set; }
    public string? LastReason { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    /// <summary>Effective date of the newest observation in the last good snapshot.</summary>
    public DateTime? LastMeasurementAt { get; set; }
}
