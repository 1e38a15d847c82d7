using System.ComponentModel.DataAnnotations;
using Benefit.Loyalty;

namespace Benefit.Api.Points;

/// <summary>A partner provider's report of a verified activity; the provider comes from the token.</summary>
public sealed record ReportActivityRequest
{
    [Required, MaxLength(128)]
    public required string PatientId { get; init; }
    [Required, MaxLength(64)]
    public required string ActivityType { get; init; }
    [Required]
    public required DateTimeOffset OccurredAt { get; init; }
    [Required, MaxLength(200)]
    public required string ExternalEventId { get; init; }
    /// <summary>The catalogue intervention the session belongs to (e.g. pa-nordic-walking), if any; it must be one this provider delivers.</summary>
    [MaxLength(64)]
    public string? InterventionId { get; init; }
}

public sealed record RedemptionBody
{
    [Required, MaxLength(64)]
    public required string RewardId { get; init; }
    [Range(1, 1000)]
    public int Quantity { get; init; } = 1;
}

public sealed record ReversalBody
{
    [Range(1, long.MaxValue)]
    public required long AwardEntryId { get; init; }
    [Required, MaxLength(500)]
    public required string Reason { get; init; }
}

/// <summary>Balance, pending, reserved and soon-expiring points, with one page of history (newest first).</summary>
public sealed record PointsOverview(PointsStatement Statement, HistoryPage History);
