namespace Benefit.Loyalty.Activities;

/// <summary>Who vouches for an activity.</summary>
public enum ActivitySource
{
    /// <summary>A partner provider saw it happen (a gym visit, a completed module); counts in full.</summary>
    VerifiedProvider,
    /// <summary>The patient says so; pending until a provider verifies it.</summary>
    SelfReported,
}

/// <summary>Where an activity report stands.</summary>
public enum ActivityStatus
{
    Awarded,
    NoPoints,
    Pending,
    Reversed,
}

/// <summary>A reported activity, stored once per provider and external event id, whether it earned points or not.</summary>
public sealed class ActivityEvent
{
    public long Id { get; set; }
    public required string PatientId { get; set; }
    public required string Provider { get; set; }
    public required string ExternalEventId { get; set; }
    public required string ActivityType { get; set; }
    public string? Category { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    /// <summary>Local calendar day, ISO week start and year of <see cref="OccurredAt"/>, fixed when received so caps never shift.</summary>
    public DateOnly LocalDate { get; set; }
    public DateOnly LocalWeekStart { get; set; }
    public int LocalYear { get; set; }
    public ActivitySource Source { get; set; }
    public ActivityStatus Status { get; set; }
    /// <summary>Points awarded (0 when none); for a pending report, the points it would earn at today's rules.</summary>
    public int Points { get; set; }
    public string? RuleVersion { get; set; }
    public AwardReason Reason { get; set; }
    /// <summary>The catalogue intervention the session belongs to, when the provider named one (what the nightly retrain learns from).</summary>
    public string? InterventionId { get; set; }
}
