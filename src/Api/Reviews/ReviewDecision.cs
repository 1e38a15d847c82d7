namespace Benefit.Api.Reviews;

/// <summary>A clinician's endorse / hide / add / note for one patient; no justification is ever required.</summary>
public sealed class ReviewDecision
{
    public long Id { get; init; }
    public required string PatientId { get; init; }
    public required string ClinicianId { get; init; }
    public required string Kind { get; init; }
    public string? InterventionId { get; init; }
    public string? Note { get; init; }
    /// <summary>review (the review screen or API) or cds-hooks (feedback from the EHR).</summary>
    public required string Source { get; init; }
    public DateTime At { get; init; }
}
