namespace Benefit.Loyalty;

/// <summary>Settings of the points ledger, bound from the <c>Loyalty</c> configuration section.</summary>
public sealed class LoyaltyOptions
{
    public const string SectionName = "Loyalty";

    /// <summary>Earning rules file (versioned); relative paths resolve against the content root the host passes.</summary>
    public string RulesPath { get; set; } = "data/points-rules.json";

    /// <summary>Reward catalogue used by <see cref="PointsLedger.SeedRewardsAsync"/>.</summary>
    public string RewardsPath { get; set; } = "data/rewards.json";

    /// <summary>Local time zone that decides where a day, a week and a year of caps begin.</summary>
    public string TimeZoneId { get; set; } = "Europe/Amsterdam";

    /// <summary>Points expire this many months after they were awarded.</summary>
    public int PointsLifetimeMonths { get; set; } = 12;

    /// <summary>An unconfirmed reservation returns its points and stock after this long.</summary>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Completed idempotency keys are kept at least this long (never less than 24 hours).</summary>
    public TimeSpan IdempotencyKeyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A request still "in flight" after this long is presumed crashed and may be retried.</summary>
    public TimeSpan InFlightLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a SQLite writer waits for the write lock before giving up.</summary>
    public int SqliteBusyTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// Writers taking award groups at once. Unset: 1 on SQLite (it has one writer anyway), 2 on PostgreSQL (one group's
    /// commit overlaps the next group's work; more writers make smaller groups, which cost more CPU per award).
    /// </summary>
    public int? AwardWriters { get; set; }

    /// <summary>Returns the problems with these settings, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RulesPath)) problems.Add("Loyalty:RulesPath is required.");
        if (string.IsNullOrWhiteSpace(RewardsPath)) problems.Add("Loyalty:RewardsPath is required.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out _)) problems.Add($"Loyalty:TimeZoneId '{TimeZoneId}' is not a known time zone.");
        if (PointsLifetimeMonths < 1) problems.Add("Loyalty:PointsLifetimeMonths must be at least 1.");
        if (ReservationTimeout <= TimeSpan.Zero) problems.Add("Loyalty:ReservationTimeout must be positive.");
        if (IdempotencyKeyRetention < TimeSpan.FromHours(24)) problems.Add("Loyalty:IdempotencyKeyRetention must be at least 24 hours.");
        if (InFlightLease <= TimeSpan.Zero) problems.Add("Loyalty:InFlightLease must be positive.");
        if (SqliteBusyTimeoutMilliseconds < 0) problems.Add("Loyalty:SqliteBusyTimeoutMilliseconds must not be negative.");
        if (AwardWriters is < 1 or > 16) problems.Add("Loyalty:AwardWriters must be between 1 and 16.");
        return problems;
    }
}
