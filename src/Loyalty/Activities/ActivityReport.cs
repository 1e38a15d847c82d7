using System.Text.Json.Serialization;

namespace Benefit.Loyalty.Activities;

/// <summary>A provider's (or patient's) report that an activity happened.</summary>
/// <param name="OccurredAt">When it happened; any offset, stored as UTC.</param>
/// <param name="InterventionId">The catalogue intervention the session belongs to, when the reporter names one (the host checks it).</param>
public sealed record ActivityReport(
    string PatientId,
    string Provider,
    string ExternalEventId,
    string ActivityType,
    DateTimeOffset OccurredAt,
    ActivitySource Source = ActivitySource.VerifiedProvider,
    // Left out of the idempotency hash when absent, so a report without one hashes as it did before the field existed.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InterventionId = null);

/// <summary>What became of a report.</summary>
public enum AwardOutcome
{
    Awarded,
    Pending,
    NoPoints,
}

/// <summary>Why an award earned fewer points than the rule's base value (or <see cref="None"/>).</summary>
public enum AwardReason
{
    None,
    DailyCapReached,
    WeeklyCapReached,
    YearlyCapReached,
    UnknownActivityType,
    OutsideTimeWindow,
    DuplicateEvent,
    PendingVerification,
}

/// <summary>The answer to a report: the points, or a machine-readable reason there are none (or fewer).</summary>
/// <param name="Points">Points added to the balance now (0 unless <see cref="Outcome"/> is Awarded).</param>
/// <param name="BasePoints">What the rule pays before caps (0 for an unknown type).</param>
/// <param name="Reason">Why points are zero or capped; <see cref="AwardReason.None"/> for a full award.</param>
public sealed record AwardResult(
    long ActivityId,
    AwardOutcome Outcome,
    int Points,
    int BasePoints,
    AwardReason Reason,
    string? RuleVersion,
    long? EntryId,
    string Message);
