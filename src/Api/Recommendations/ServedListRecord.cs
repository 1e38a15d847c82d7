namespace Benefit.Api.Recommendations;

/// <summary>
/// One list served to a patient, once per list: when, by which model, whether it explored, and the patient's context as
/// the model saw it then (JSON of <see cref="Benefit.Recommender.Patients.PatientContext"/>), so the nightly retrain learns
/// from what was known at serving time and never from the future. Its items are the <see cref="Impression"/> rows.
/// </summary>
public sealed class ServedListRecord
{
    public required string ListId { get; init; }
    public required string PatientId { get; init; }
    public DateTime ServedAt { get; init; }
    public required string ModelVersion { get; init; }
    public bool Personalised { get; init; }
    /// <summary>The exploration share the list was served under (0 when it could not explore).</summary>
    public double ExplorationShare { get; init; }
    public required string ContextJson { get; init; }
    /// <summary>What the list was chosen from (JSON of <see cref="Benefit.Recommender.Serving.ServedCandidates"/>), for off-policy evaluation.</summary>
    public string? CandidatesJson { get; init; }
}
