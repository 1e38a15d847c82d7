using System.Data.Common;
using System.Text.Json;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;

namespace Benefit.Loyalty;

/// <summary>
/// Pricing and writing one award group. Its reads are one command (<see cref="ReadGroupAsync"/>); its rows (activities,
/// entries, lots, balances, results under their keys) are written with one set-based statement per table
/// (<see cref="RowSet{TRow}"/>), where EF's SaveChanges would send a statement per row and track every entity: that was
/// half of a group's time.
/// </summary>
public sealed partial class PointsLedger
{
    /// <summary>What a group writes: its new activities, and the entry and lot of each that earned points.</summary>
    private sealed class GroupRows
    {
        public List<ActivityEvent> Activities { get; } = [];
        public Dictionary<ActivityEvent, LedgerEntry> Credits { get; } = new(ReferenceEqualityComparer.Instance);
        public List<PointLot> Lots { get; } = [];
    }

    private sealed record StoredResult(PendingAward Award, string Json, DateTime At);

    internal static readonly RowSet<ActivityEvent> ActivityRows = new RowSet<ActivityEvent>()
        .Column("PatientId", a => a.PatientId).Column("Provider", a => a.Provider).Column("ExternalEventId", a => a.ExternalEventId)
        .Column("ActivityType", a => a.ActivityType).Column("Category", a => a.Category)
        .Column("OccurredAt", a => a.OccurredAt).Column("ReceivedAt", a => a.ReceivedAt)
        .Column("LocalDate", a => a.LocalDate).Column("LocalWeekStart", a => a.LocalWeekStart).Column("LocalYear", a => a.LocalYear)
        .Column("Source", a => a.Source.ToString()).Column("Status", a => a.Status.ToString()).Column("Points", a => a.Points)
        .Column("RuleVersion", a => a.RuleVersion).Column("Reason", a => a.Reason.ToString());

    internal static readonly RowSet<LedgerEntry> EntryRows = new RowSet<LedgerEntry>()
        .Column("PatientId", e => e.PatientId).Column("Kind", e => e.Kind.ToString()).Column("Points", e => e.Points)
        .Column("CreatedAt", e => e.CreatedAt).Column("ActivityId", e => e.Activity?.Id).Column("RuleVersion", e => e.RuleVersion)
        .Column("ReservationId", e => e.ReservationId).Column("ReversedEntryId", e => e.ReversedEntryId)
        .Column("Shortfall", e => e.Shortfall).Column("Reason", e => e.Reason).Column("IdempotencyKey", e => e.IdempotencyKey);

    private static readonly RowSet<PointLot> LotRows = new RowSet<PointLot>()
        .Column("PatientId", l => l.PatientId).Column("SourceEntryId", l => l.SourceEntry!.Id).Column("EarnedAt", l => l.EarnedAt)
        .Column("ExpiresAt", l => l.ExpiresAt).Column("Original", l => l.Original).Column("Remaining", l => l.Remaining);

    private static readonly RowSet<Account> AccountRows = new RowSet<Account>()
        .Column("PatientId", a => a.PatientId).Column("Balance", a => a.Balance).Column("UpdatedAt", a => a.UpdatedAt);

    private static readonly RowSet<StoredResult> ResultRows = new RowSet<StoredResult>()
        .Column("Scope", r => r.Award.Key.Scope).Column("Key", r => r.Award.Key.Key).Column("RequestHash", r => r.Award.Hash)
        .Column("Completed", _ => true).Column("ResultJson", r => r.Json).Column("CreatedAt", r => r.At).Column("LeaseUntil", r => r.At);

    /// <summary>Prices a group in queue order inside <paramref name="tx"/>; returns the answers and the reports left for the single path.</summary>
    private async Task<(List<(PendingAward, AwardResult)> Written, List<PendingAward> Alone)> PriceGroupAsync(DbTransaction tx, List<PendingAward> group)
    {
        var now = UtcNow;
        var alone = new List<PendingAward>();
        var answers = new List<(PendingAward Award, Func<AwardResult> Answer)>(group.Count);
        var rows = new GroupRows();

        // What the rules alone say of each report; the database is read once for all of them (one round trip).
        var drafts = group.Select(award =>
        {
            var activity = NewActivity(award.Report, now);
            var refusal = Screen(activity, out var version, out var rule);
            return (Award: award, Activity: activity, Refusal: refusal, Version: version, Rule: rule);
        }).ToList();
        var priced = drafts.Where(d => d.Refusal is null && d.Award.Report.Source == ActivitySource.VerifiedProvider).Select(d => (d.Activity, d.Rule)).ToList();
        var state = await ReadGroupAsync(tx, group, priced, now);

        foreach (var (award, activity, refusal, version, rule) in drafts)
        {
            var report = award.Report;
            if (state.UsedKeys.Contains(award.Key))
            {
                alone.Add(award); // a replay, a reused key or an abandoned claim: the single path knows each
                continue;
            }
            if (state.Events.TryGetValue((report.Provider, report.ExternalEventId), out var existing))
            {
                if (existing is { Status: ActivityStatus.Pending, Source: ActivitySource.SelfReported }
                    && report.Source == ActivitySource.VerifiedProvider && existing.PatientId == report.PatientId
                    && existing.ActivityType == report.ActivityType)
                    alone.Add(award); // a provider verifying a self-report (after this group commits, if it is in it)
                else
                    answers.Add((award, () => Duplicate(existing))); // its id is known once the group's activities are in
                continue;
            }

            rows.Activities.Add(activity);
            state.Events[(report.Provider, report.ExternalEventId)] = activity;
            if (refusal is { } no)
            {
                MarkNoPoints(activity, no.Reason);
                answers.Add((award, () => NoPoints(activity, 0, no.Message)));
            }
            else if (report.Source == ActivitySource.SelfReported)
            {
                var pending = MarkPending(activity, version, rule);
                answers.Add((award, () => pending with { ActivityId = activity.Id }));
            }
            else if (Price(state, rows, award, activity, version, rule, now) is { } entry)
                answers.Add((award, () => Awarded(activity, entry, rule)));
            else
                answers.Add((award, () => NoPoints(activity, rule.Points, CapUsedUp(activity.Reason, rule))));
        }

        await WriteRowsAsync(tx, rows, state.Accounts);
        var written = answers.Select(a => (a.Award, Result: a.Answer())).ToList();
        if (written.Count > 0)
            await ResultRows.ExecuteAsync(tx, written.Select(w => new StoredResult(w.Award, JsonSerializer.Serialize(w.Result, ResultJson), now)).ToList(),
                ResultRows.InsertInto("loyalty_idempotency_keys"));
        if (_companion is not null && written.Where(w => w.Award.CompanionState is not null).Select(w => (w.Result, w.Award.CompanionState!)).ToList() is { Count: > 0 } companions)
            await _companion.WriteAsync(tx.Connection!, tx, companions, CancellationToken.None);
        return (written, alone);
    }

    /// <summary>Applies the caps to one verified report in queue order (usage so far includes the group's earlier awards); the entry when it earns.</summary>
    private LedgerEntry? Price(GroupState state, GroupRows rows, PendingAward award, ActivityEvent activity, PointsRuleVersion version, ActivityRule rule, DateTime now)
    {
        var (patient, category) = (activity.PatientId, rule.Category);
        var (dayKey, weekKey, yearKey) = ((patient, category, activity.LocalDate), (patient, category, activity.LocalWeekStart), (patient, activity.LocalYear));
        var (points, reason) = Cap(version, rule, version.Categories[category],
            state.UsedDay.GetValueOrDefault(dayKey), state.UsedWeek.GetValueOrDefault(weekKey), state.UsedYear.GetValueOrDefault(yearKey));
        if (points == 0)
        {
            MarkNoPoints(activity, reason);
            return null;
        }
        var account = state.Accounts[patient];
        var (entry, lot) = Credit(account, activity, points, reason, award.Key.ToString());
        rows.Credits[activity] = entry;
        rows.Lots.Add(lot);
        account.UpdatedAt = now;
        state.UsedDay[dayKey] = state.UsedDay.GetValueOrDefault(dayKey) + points;
        state.UsedWeek[weekKey] = state.UsedWeek.GetValueOrDefault(weekKey) + points;
        state.UsedYear[yearKey] = state.UsedYear.GetValueOrDefault(yearKey) + points;
        return entry;
    }

    /// <summary>Inserts the group's activities, then their entries and lots (each needing the ids before it), and moves the balances.</summary>
    private static async Task WriteRowsAsync(DbTransaction tx, GroupRows rows, Dictionary<string, Account> accounts)
    {
        if (rows.Activities.Count == 0) return;
        var activities = rows.Activities.ToDictionary(a => (a.Provider, a.ExternalEventId));
        await ActivityRows.ReadAsync(tx, rows.Activities, ActivityRows.InsertInto("loyalty_activities", """RETURNING "Id", "Provider", "ExternalEventId" """),
            r => activities[(r.GetString(1), r.GetString(2))].Id = r.GetInt64(0));
        if (rows.Credits.Count == 0) return;

        var entries = rows.Credits.Values.ToList();
        var byActivity = entries.ToDictionary(e => e.Activity!.Id);
        await EntryRows.ReadAsync(tx, entries, EntryRows.InsertInto("loyalty_entries", """RETURNING "Id", "ActivityId" """),
            r => byActivity[r.GetInt64(1)].Id = r.GetInt64(0));
        await LotRows.ExecuteAsync(tx, rows.Lots, LotRows.InsertInto("loyalty_lots"));
        await AccountRows.ExecuteAsync(tx, rows.Lots.Select(l => l.PatientId).Distinct().Select(p => accounts[p]).ToList(), """
            UPDATE loyalty_accounts AS a SET "Balance" = new_rows."Balance", "UpdatedAt" = new_rows."UpdatedAt"
            FROM new_rows WHERE a."PatientId" = new_rows."PatientId"
            """);
    }
}
