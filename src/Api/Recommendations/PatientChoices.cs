namespace Benefit.Api.Recommendations;

/// <summary>What matters to the patient, as they said it; stored as JSON so new preference fields need no migration.</summary>
public sealed class PatientPreferencesRecord
{
    public required string PatientId { get; init; }
    public required string Json { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>enrol, not-for-me or not-now: one click, no reason asked.</summary>
public sealed class PatientChoice
{
    public long Id { get; init; }
    public required string PatientId { get; init; }
    public required string InterventionId { get; init; }
    public required string Kind { get; init; }
    public DateTime At { get; init; }
    /// <summary>Set when the choice answers a served list; enrolling in something not suggested leaves it null.</summary>
    public string? ListId { get; init; }
}

/// <summary>One item of a served list: what was shown, where, by which model. Training signal and audit evidence.</summary>
public sealed class Impression
{
    public long Id { get; init; }
    public required string ListId { get; init; }
    public required string PatientId { get; init; }
    public required string InterventionId { get; init; }
    public int Rank { get; init; }
    public float Score { get; init; }
    public required string ModelVersion { get; init; }
    public bool Personalised { get; init; }
    public DateTime ServedAt { get; init; }
    /// <summary>Probability that the serving policy showed this item in this list (1 for a pick exploration cannot displace).</summary>
    public double Propensity { get; init; } = 1;
    /// <summary>Shown by exploration, not because the model ranked it this high.</summary>
    public bool Explored { get; init; }
}
