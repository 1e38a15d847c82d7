using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Benefit.Loyalty;

public sealed partial class PointsLedger
{
    /// <summary>
    /// Prices a reported activity and awards its points, or says why there are none (<see cref="AwardResult.Reason"/>).
    /// A provider + external event id is stored once: a second report under another key earns nothing (DuplicateEvent),
    /// except that a verified report of a pending self-report verifies it. Self-reported activity is pending:
    /// it earns nothing until a provider verifies it, and then counts under the normal caps.
    /// </summary>
    /// <remarks>
    /// Concurrent awards are written in groups: one transaction and one durable commit for all the reports waiting at that
    /// moment (see <see cref="WriteAwardsAsync"/>). The answer comes only after its group has committed.
    /// </remarks>
    /// <param name="companionState">Handed to the <see cref="IAwardCompanion"/> with the result (the API passes who reported it, for the audit trail).</param>
    public Task<AwardResult> AwardAsync(ActivityReport report, IdempotencyKey key, CancellationToken ct = default, object? companionState = null)
    {
        if (new[] { report.PatientId, report.Provider, report.ExternalEventId, report.ActivityType }.Any(string.IsNullOrWhiteSpace))
            throw Error(LedgerErrorCode.InvalidRequest, "Patient, provider, external event id and activity type are required.");
        if (string.IsNullOrWhiteSpace(key.Scope) || string.IsNullOrWhiteSpace(key.Key))
            throw Error(LedgerErrorCode.InvalidRequest, "An idempotency key needs a scope and a key.");
        return AwardInGroupAsync(report, key, companionState, ct);
    }

    /// <summary>
    /// One report on its own: claim the key, then price it in its own transaction (the path before grouping, kept for the
    /// unusual cases); the companion's rows follow in a transaction of their own.
    /// </summary>
    private async Task<AwardResult> AwardAloneAsync(ActivityReport report, IdempotencyKey key, object? companionState, CancellationToken ct)
    {
        var result = await OnceAsync(key, "award", report, report.PatientId, (db, account, k) => AwardCoreAsync(db, account, report, k, ct), ct);
        if (_companion is not null && companionState is not null)
        {
            using var gate = await EnterWriteAsync(ct);
            await using var db = _dbs.CreateDbContext();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await _companion.WriteAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), [(result, companionState)], ct);
            await tx.CommitAsync(ct);
        }
        return result;
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
            return Duplicate(existing);

        var activity = NewActivity(report, UtcNow);
        db.Activities.Add(activity);
        if (Screen(activity, out var version, out var rule) is { } refusal)
            return await NoPointsAsync(db, activity, refusal.Reason, refusal.Message, ct);

        if (report.Source == ActivitySource.SelfReported)
        {
            var pending = MarkPending(activity, version, rule);
            await db.SaveChangesAsync(ct);
            return pending with { ActivityId = activity.Id };
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
        var (points, reason) = Cap(version, rule, caps, usedDay, usedWeek, usedYear);

        activity.Category = rule.Category;
        activity.RuleVersion = version.Version;
        if (points == 0)
            return await NoPointsAsync(db, activity, reason, CapUsedUp(reason, rule), ct, rule.Points);

        var (entry, lot) = Credit(account, activity, points, reason, key);
        db.Entries.Add(entry);
        db.Lots.Add(lot);
        await db.SaveChangesAsync(ct);
        return Awarded(activity, entry, rule);
    }

    /// <summary>Marks the activity awarded and makes its entry (moving the cached balance) and lot; the caller stores both.</summary>
    private (LedgerEntry Entry, PointLot Lot) Credit(Account account, ActivityEvent activity, int points, AwardReason reason, string? key)
    {
        activity.Status = ActivityStatus.Awarded;
        activity.Points = points;
        activity.Reason = reason;
        var entry = NewEntry(account, EntryKind.Award, points, e =>
        {
            e.Activity = activity;
            e.RuleVersion = activity.RuleVersion;
            e.IdempotencyKey = key;
        });
        return (entry, NewLot(entry, points));
    }

    private static async Task<AwardResult> NoPointsAsync(LoyaltyDb db, ActivityEvent activity, AwardReason reason, string message,
        CancellationToken ct, int basePoints = 0)
    {
        MarkNoPoints(activity, reason);
        await db.SaveChangesAsync(ct);
        return NoPoints(activity, basePoints, message);
    }

    private static void MarkNoPoints(ActivityEvent activity, AwardReason reason)
    {
        activity.Status = ActivityStatus.NoPoints;
        activity.Points = 0;
        activity.Reason = reason;
    }

    private static AwardResult NoPoints(ActivityEvent activity, int basePoints, string message) =>
        new(activity.Id, AwardOutcome.NoPoints, 0, basePoints, activity.Reason, activity.RuleVersion, null, message);

    private static AwardResult Duplicate(ActivityEvent existing) =>
        new(existing.Id, AwardOutcome.NoPoints, 0, 0, AwardReason.DuplicateEvent, existing.RuleVersion, null,
            $"Event {existing.ExternalEventId} from {existing.Provider} was already reported.");

    private static async Task<AwardResult> ResultOfAsync(LoyaltyDb db, ActivityEvent a, CancellationToken ct)
    {
        var entryId = await db.Entries.Where(e => e.ActivityId == a.Id && e.Kind == EntryKind.Award).Select(e => (long?)e.Id).SingleOrDefaultAsync(ct);
        var outcome = a.Status is ActivityStatus.Awarded or ActivityStatus.Reversed ? AwardOutcome.Awarded : AwardOutcome.NoPoints;
        return new AwardResult(a.Id, outcome, outcome == AwardOutcome.Awarded ? a.Points : 0, a.Points, a.Reason, a.RuleVersion, entryId, $"Activity is {a.Status}.");
    }

    /// <summary>A new activity row for a report, with its local day, ISO week and year fixed now.</summary>
    private ActivityEvent NewActivity(ActivityReport report, DateTime now)
    {
        var occurred = report.OccurredAt.UtcDateTime;
        var local = TimeZoneInfo.ConvertTimeFromUtc(occurred, _zone);
        return new ActivityEvent
        {
            PatientId = report.PatientId, Provider = report.Provider, ExternalEventId = report.ExternalEventId,
            ActivityType = report.ActivityType, OccurredAt = occurred, ReceivedAt = now, Source = report.Source,
            LocalDate = DateOnly.FromDateTime(local), LocalYear = local.Year,
            LocalWeekStart = DateOnly.FromDateTime(local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7))),
            Status = ActivityStatus.NoPoints,
        };
    }

    /// <summary>The reason a new activity earns nothing whatever the caps (outside the time window, unknown type); null when it may earn.</summary>
    private (AwardReason Reason, string Message)? Screen(ActivityEvent activity, out PointsRuleVersion version, out ActivityRule rule)
    {
        (version, rule) = (null!, null!);
        var now = activity.ReceivedAt;
        var window = _rules.VersionFor(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, _zone))) ?? _rules.Versions[^1];
        if (activity.OccurredAt > now.AddMinutes(window.MaxFutureSkewMinutes) || activity.OccurredAt < now.AddDays(-window.MaxActivityAgeDays))
            return (AwardReason.OutsideTimeWindow, $"Activity must have happened within the last {window.MaxActivityAgeDays} days and not in the future.");
        if (_rules.VersionFor(activity.LocalDate) is not { } v || !v.Activities.TryGetValue(activity.ActivityType, out var r))
            return (AwardReason.UnknownActivityType, $"Activity type '{activity.ActivityType}' earns no points.");
        (version, rule) = (v, r);
        activity.Category = rule.Category;
        activity.RuleVersion = version.Version;
        return null;
    }

    /// <summary>A self-report waits for a provider: no points now (the result's activity id is filled in once saved).</summary>
    private static AwardResult MarkPending(ActivityEvent activity, PointsRuleVersion version, ActivityRule rule)
    {
        activity.Status = ActivityStatus.Pending;
        activity.Points = rule.Points;
        activity.Reason = AwardReason.PendingVerification;
        return new AwardResult(activity.Id, AwardOutcome.Pending, 0, rule.Points, AwardReason.PendingVerification, version.Version, null,
            "Self-reported activity earns points once a provider verifies it.");
    }

    /// <summary>The rule's points cut down by whichever of the day, week and year caps leaves least, and the cap that did it.</summary>
    private static (int Points, AwardReason Reason) Cap(PointsRuleVersion version, ActivityRule rule, CategoryRule caps, int usedDay, int usedWeek, int usedYear)
    {
        var (points, reason) = (rule.Points, AwardReason.None);
        foreach (var (left, capReason) in new[]
                 {
                     (caps.DailyCap - usedDay, AwardReason.DailyCapReached),
                     (caps.WeeklyCap - usedWeek, AwardReason.WeeklyCapReached),
                     (version.YearlyCap - usedYear, AwardReason.YearlyCapReached),
                 })
            if (left < points) (points, reason) = (Math.Max(left, 0), capReason);
        return (points, reason);
    }

    private static AwardResult Awarded(ActivityEvent activity, LedgerEntry entry, ActivityRule rule) =>
        new(activity.Id, AwardOutcome.Awarded, activity.Points, rule.Points, activity.Reason, activity.RuleVersion, entry.Id,
            activity.Reason == AwardReason.None
                ? $"{activity.Points} points for {activity.ActivityType}."
                : $"{activity.Points} of {rule.Points} points: the {CapName(activity.Reason)} cap for {rule.Category} was reached.");

    private static string CapUsedUp(AwardReason reason, ActivityRule rule) => $"The {CapName(reason)} cap for {rule.Category} is used up.";

    private static string CapName(AwardReason reason) => reason switch
    {
        AwardReason.DailyCapReached => "daily",
        AwardReason.WeeklyCapReached => "weekly",
        _ => "yearly",
    };
}
