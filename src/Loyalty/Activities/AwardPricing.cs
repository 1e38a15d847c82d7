namespace Benefit.Loyalty.Activities;

/// <summary>
/// The earning rules applied to one report, with no database in sight: whether it is refused (outside the time window, an
/// unknown type), pending (self-reported) or credited, and how far the day, week and year caps cut it given the points
/// already awarded in those periods. Both award paths (one at a time on EF, in groups on hand-written SQL) price with
/// this, so a report earns the same whichever path it takes.
/// </summary>
internal sealed class AwardPricing(PointsRules rules, TimeZoneInfo zone)
{
    /// <summary>A new activity row for a report, with its local day, ISO week and year fixed now.</summary>
    public ActivityEvent NewActivity(ActivityReport report, DateTime now)
    {
        var occurred = report.OccurredAt.UtcDateTime;
        var local = TimeZoneInfo.ConvertTimeFromUtc(occurred, zone);
        return new ActivityEvent
        {
            PatientId = report.PatientId, Provider = report.Provider, ExternalEventId = report.ExternalEventId,
            ActivityType = report.ActivityType, OccurredAt = occurred, ReceivedAt = now, Source = report.Source,
            InterventionId = report.InterventionId,
            LocalDate = DateOnly.FromDateTime(local), LocalYear = local.Year,
            LocalWeekStart = DateOnly.FromDateTime(local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7))),
            Status = ActivityStatus.NoPoints,
        };
    }

    /// <summary>A new activity: refused whatever the caps (outside the time window, unknown type), or the terms it is priced under.</summary>
    public (AwardTerms? Terms, AwardDecision? Refusal) Screen(ActivityEvent activity)
    {
        var now = activity.ReceivedAt;
        var window = rules.VersionFor(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone))) ?? rules.Versions[^1];
        if (activity.OccurredAt > now.AddMinutes(window.MaxFutureSkewMinutes) || activity.OccurredAt < now.AddDays(-window.MaxActivityAgeDays))
            return (null, Refused(AwardReason.OutsideTimeWindow,
                $"Activity must have happened within the last {window.MaxActivityAgeDays} days and not in the future."));
        return Terms(activity);
    }

    /// <summary>
    /// The terms of the version in force on the activity's local date, or a refusal when its type earns nothing there
    /// (a pending report may outlive its rule: the rules file changed before it was verified).
    /// </summary>
    public (AwardTerms? Terms, AwardDecision? Refusal) Terms(ActivityEvent activity) =>
        rules.VersionFor(activity.LocalDate) is { } version && version.Activities.TryGetValue(activity.ActivityType, out var rule)
            ? (new AwardTerms(version, rule), null)
            : (null, Refused(AwardReason.UnknownActivityType, $"Activity type '{activity.ActivityType}' earns no points."));

    /// <summary>Whether pricing a report vouched for by <paramref name="source"/> needs its periods' usage (a self-report waits instead).</summary>
    public static bool NeedsUsage(ActivitySource source) => source == ActivitySource.VerifiedProvider;

    /// <summary>
    /// A self-report waits for a provider (pending: nothing now, the rule's points once verified); a verified activity earns
    /// the rule's points cut down by whichever of the day, week and year caps leaves least, or nothing when one is used up.
    /// </summary>
    public static AwardDecision Decide(ActivityEvent activity, AwardTerms terms, ActivitySource source, CapUsage used)
    {
        var rule = terms.Rule;
        if (!NeedsUsage(source))
            return new(AwardOutcome.Pending, 0, rule.Points, AwardReason.PendingVerification,
                "Self-reported activity earns points once a provider verifies it.", terms);

        var (points, reason) = (rule.Points, AwardReason.None);
        foreach (var (left, capReason) in new[]
                 {
                     (terms.Caps.DailyCap - used.Day, AwardReason.DailyCapReached),
                     (terms.Caps.WeeklyCap - used.Week, AwardReason.WeeklyCapReached),
                     (terms.Version.YearlyCap - used.Year, AwardReason.YearlyCapReached),
                 })
            if (left < points) (points, reason) = (Math.Max(left, 0), capReason);

        if (points == 0)
            return new(AwardOutcome.NoPoints, 0, rule.Points, reason, $"The {CapName(reason)} cap for {rule.Category} is used up.", terms);
        return new(AwardOutcome.Awarded, points, rule.Points, reason, reason == AwardReason.None
            ? $"{points} points for {activity.ActivityType}."
            : $"{points} of {rule.Points} points: the {CapName(reason)} cap for {rule.Category} was reached.", terms);
    }

    /// <summary>The answer to a second report of an event already stored.</summary>
    public static AwardResult Duplicate(ActivityEvent existing) =>
        new(existing.Id, AwardOutcome.NoPoints, 0, 0, AwardReason.DuplicateEvent, existing.RuleVersion, null,
            $"Event {existing.ExternalEventId} from {existing.Provider} was already reported.");

    /// <summary>Whether a report is a provider verifying <paramref name="existing"/>, a pending self-report of the same patient and type.</summary>
    public static bool Verifies(ActivityReport report, ActivityEvent existing) =>
        existing is { Status: ActivityStatus.Pending, Source: ActivitySource.SelfReported } && report.Source == ActivitySource.VerifiedProvider
        && existing.PatientId == report.PatientId && existing.ActivityType == report.ActivityType;

    private static AwardDecision Refused(AwardReason reason, string message) => new(AwardOutcome.NoPoints, 0, 0, reason, message, null);

    private static string CapName(AwardReason reason) => reason switch
    {
        AwardReason.DailyCapReached => "daily",
        AwardReason.WeeklyCapReached => "weekly",
        _ => "yearly",
    };
}
