using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty;

public sealed partial class PointsLedger
{
    /// <summary>
    /// Prices a reported activity and awards its points, or says why there are none (<see cref="AwardResult.Reason"/>).
    /// A provider + external event id is stored once: a second report under another key earns nothing (DuplicateEvent),
    /// except that a verified report of a pending self-report verifies it. Self-reported activity is pending:
    /// it earns nothing until a provider verifies it, and then counts under the normal caps.
    /// </summary>
    public Task<AwardResult> AwardAsync(ActivityReport report, IdempotencyKey key, CancellationToken ct = default)
    {
        if (new[] { report.PatientId, report.Provider, report.ExternalEventId, report.ActivityType }.Any(string.IsNullOrWhiteSpace))
            throw Error(LedgerErrorCode.InvalidRequest, "Patient, provider, external event id and activity type are required.");
        return OnceAsync(key, "award", report, report.PatientId, (db, account, k) => AwardCoreAsync(db, account, report, k, ct), ct);
    }

    /// <summary>A provider confirms a pending self-reported activity; it is then priced under the normal caps. Repeating it returns the same result.</summary>
    public async Task<AwardResult> VerifyActivityAsync(string provider, string externalEventId, CancellationToken ct = default)
    {
        string patientId;
        await using (var db = _dbs.CreateDbContext())
            patientId = await db.Activities.Where(a => a.Provider == provider && a.ExternalEventId == externalEventId)
                .Select(a => a.PatientId).SingleOrDefaultAsync(ct)
                ?? throw Error(LedgerErrorCode.ActivityNotFound, $"No activity {externalEventId} from {provider}.");
        return await InAccountAsync(patientId, async (db, account) =>
        {
            var activity = await db.Activities.SingleAsync(a => a.Provider == provider && a.ExternalEventId == externalEventId, ct);
            return activity.Status == ActivityStatus.Pending
                ? await PriceAsync(db, account, activity, null, ct)
                : await ResultOfAsync(db, activity, ct);
        }, ct);
    }

    private async Task<AwardResult> AwardCoreAsync(LoyaltyDb db, Account account, ActivityReport report, string key, CancellationToken ct)
    {
        var existing = await db.Activities.SingleOrDefaultAsync(a => a.Provider == report.Provider && a.ExternalEventId == report.ExternalEventId, ct);
        if (existing is { Status: ActivityStatus.Pending, Source: ActivitySource.SelfReported } && report.Source == ActivitySource.VerifiedProvider
            && existing.PatientId == report.PatientId && existing.ActivityType == report.ActivityType)
            return await PriceAsync(db, account, existing, key, ct);
        if (existing is not null)
            return new AwardResult(existing.Id, AwardOutcome.NoPoints, 0, 0, AwardReason.DuplicateEvent, existing.RuleVersion, null,
                $"Event {report.ExternalEventId} from {report.Provider} was already reported.");

        var now = UtcNow;
        var occurred = report.OccurredAt.UtcDateTime;
        var local = TimeZoneInfo.ConvertTimeFromUtc(occurred, _zone);
        var activity = new ActivityEvent
        {
            PatientId = report.PatientId, Provider = report.Provider, ExternalEventId = report.ExternalEventId,
            ActivityType = report.ActivityType, OccurredAt = occurred, ReceivedAt = now, Source = report.Source,
            LocalDate = DateOnly.FromDateTime(local), LocalYear = local.Year,
            LocalWeekStart = DateOnly.FromDateTime(local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7))),
            Status = ActivityStatus.NoPoints,
        };
        db.Activities.Add(activity);

        var window = _rules.VersionFor(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, _zone))) ?? _rules.Versions[^1];
        if (occurred > now.AddMinutes(window.MaxFutureSkewMinutes) || occurred < now.AddDays(-window.MaxActivityAgeDays))
            return await NoPointsAsync(db, activity, AwardReason.OutsideTimeWindow,
                $"Activity must have happened within the last {window.MaxActivityAgeDays} days and not in the future.", ct);

        var version = _rules.VersionFor(activity.LocalDate);
        if (version is null || !version.Activities.TryGetValue(report.ActivityType, out var rule))
            return await NoPointsAsync(db, activity, AwardReason.UnknownActivityType, $"Activity type '{report.ActivityType}' earns no points.", ct);
        activity.Category = rule.Category;
        activity.RuleVersion = version.Version;

        if (report.Source == ActivitySource.SelfReported)
        {
            activity.Status = ActivityStatus.Pending;
            activity.Points = rule.Points;
            activity.Reason = AwardReason.PendingVerification;
            await db.SaveChangesAsync(ct);
            return new AwardResult(activity.Id, AwardOutcome.Pending, 0, rule.Points, AwardReason.PendingVerification, version.Version, null,
                "Self-reported activity earns points once a provider verifies it.");
        }
        return await PriceAsync(db, account, activity, key, ct);
    }

    /// <summary>Applies the day, week (per category) and year caps of the version in force on the activity's local date.</summary>
    private async Task<AwardResult> PriceAsync(LoyaltyDb db, Account account, ActivityEvent activity, string? key, CancellationToken ct)
    {
        // A pending report may outlive its rule (the rules file changed before it was verified).
        if (_rules.VersionFor(activity.LocalDate) is not { } version || !version.Activities.TryGetValue(activity.ActivityType, out var rule))
            return await NoPointsAsync(db, activity, AwardReason.UnknownActivityType, $"Activity type '{activity.ActivityType}' earns no points.", ct);
        var caps = version.Categories[rule.Category];
        var awarded = db.Activities.Where(a => a.PatientId == activity.PatientId && a.Status == ActivityStatus.Awarded);
        var usedDay = await awarded.Where(a => a.Category == rule.Category && a.LocalDate == activity.LocalDate).SumAsync(a => a.Points, ct);
        var usedWeek = await awarded.Where(a => a.Category == rule.Category && a.LocalWeekStart == activity.LocalWeekStart).SumAsync(a => a.Points, ct);
        var usedYear = await awarded.Where(a => a.LocalYear == activity.LocalYear).SumAsync(a => a.Points, ct);

        var (points, reason) = (rule.Points, AwardReason.None);
        foreach (var (left, capReason) in new[]
                 {
                     (caps.DailyCap - usedDay, AwardReason.DailyCapReached),
                     (caps.WeeklyCap - usedWeek, AwardReason.WeeklyCapReached),
                     (version.YearlyCap - usedYear, AwardReason.YearlyCapReached),
                 })
            if (left < points) (points, reason) = (Math.Max(left, 0), capReason);

        activity.Category = rule.Category;
        activity.RuleVersion = version.Version;
        if (points == 0)
            return await NoPointsAsync(db, activity, reason, $"The {CapName(reason)} cap for {rule.Category} is used up.", ct, rule.Points);

        activity.Status = ActivityStatus.Awarded;
        activity.Points = points;
        activity.Reason = reason;
        var entry = Append(db, account, EntryKind.Award, points, e =>
        {
            e.Activity = activity;
            e.RuleVersion = version.Version;
            e.IdempotencyKey = key;
        });
        CreditLot(db, entry, points);
        await db.SaveChangesAsync(ct);
        return new AwardResult(activity.Id, AwardOutcome.Awarded, points, rule.Points, reason, version.Version, entry.Id,
            reason == AwardReason.None ? $"{points} points for {activity.ActivityType}." : $"{points} of {rule.Points} points: the {CapName(reason)} cap for {rule.Category} was reached.");
    }

    private static async Task<AwardResult> NoPointsAsync(LoyaltyDb db, ActivityEvent activity, AwardReason reason, string message,
        CancellationToken ct, int basePoints = 0)
    {
        activity.Status = ActivityStatus.NoPoints;
        activity.Points = 0;
        activity.Reason = reason;
        await db.SaveChangesAsync(ct);
        return new AwardResult(activity.Id, AwardOutcome.NoPoints, 0, basePoints, reason, activity.RuleVersion, null, message);
    }

    private static async Task<AwardResult> ResultOfAsync(LoyaltyDb db, ActivityEvent a, CancellationToken ct)
    {
        var entryId = await db.Entries.Where(e => e.ActivityId == a.Id && e.Kind == EntryKind.Award).Select(e => (long?)e.Id).SingleOrDefaultAsync(ct);
        var outcome = a.Status is ActivityStatus.Awarded or ActivityStatus.Reversed ? AwardOutcome.Awarded : AwardOutcome.NoPoints;
        return new AwardResult(a.Id, outcome, outcome == AwardOutcome.Awarded ? a.Points : 0, a.Points, a.Reason, a.RuleVersion, entryId, $"Activity is {a.Status}.");
    }

    private static string CapName(AwardReason reason) => reason switch
    {
        AwardReason.DailyCapReached => "daily",
        AwardReason.WeeklyCapReached => "weekly",
        _ => "yearly",
    };
}
