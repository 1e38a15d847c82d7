using System.Data.Common;
using System.Text.Json;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty;

/// <summary>
/// Pricing and writing one award group. Reads are EF queries with one array parameter per list; the group's rows (activities,
/// entries, lots, balances, results under their keys) are written with one set-based statement per table
/// (<see cref="RowSet{TRow}"/>), where EF's SaveChanges would send a statement per row and track every entity: that was
/// half of a group's time.
/// </summary>
public sealed partial class PointsLedger
{
    private sealed record ToPrice(PendingAward Award, ActivityEvent Activity, PointsRuleVersion Version, ActivityRule Rule);

    /// <summary>What a group writes: its new activities, the entry and lot of each that earned points, and the accounts they moved.</summary>
    private sealed class GroupRows
    {
        public List<ActivityEvent> Activities { get; } = [];
        public Dictionary<ActivityEvent, LedgerEntry> Credits { get; } = new(ReferenceEqualityComparer.Instance);
        public List<PointLot> Lots { get; } = [];
        public Dictionary<string, Account> Accounts { get; set; } = [];
    }

    private sealed record StoredResult(PendingAward Award, string Json, DateTime At);

    private static readonly RowSet<ActivityEvent> ActivityRows = new RowSet<ActivityEvent>()
        .Column("PatientId", a => a.PatientId).Column("Provider", a => a.Provider).Column("ExternalEventId", a => a.ExternalEventId)
        .Column("ActivityType", a => a.ActivityType).Column("Category", a => a.Category)
        .Column("OccurredAt", a => a.OccurredAt).Column("ReceivedAt", a => a.ReceivedAt)
        .Column("LocalDate", a => a.LocalDate).Column("LocalWeekStart", a => a.LocalWeekStart).Column("LocalYear", a => a.LocalYear)
        .Column("Source", a => a.Source.ToString()).Column("Status", a => a.Status.ToString()).Column("Points", a => a.Points)
        .Column("RuleVersion", a => a.RuleVersion).Column("Reason", a => a.Reason.ToString());

    private static readonly RowSet<LedgerEntry> EntryRows = new RowSet<LedgerEntry>()
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
    private async Task<(List<(PendingAward, AwardResult)> Written, List<PendingAward> Alone)> PriceGroupAsync(LoyaltyDb db, DbTransaction tx, List<PendingAward> group)
    {
        var now = UtcNow;
        var alone = new List<PendingAward>();
        var answers = new List<(PendingAward Award, Func<AwardResult> Answer)>(group.Count);
        var toPrice = new List<ToPrice>(group.Count);
        var rows = new GroupRows();

        // Both lookups name the leading column of their index (scope, provider), so they are index seeks, not scans.
        // Every list goes in as one array parameter (EF.Parameter): one SQL text and one compiled query whatever the group's
        // size, where a parameter per element would compile a new query (and JIT new code) for each combination of sizes.
        var scopes = group.Select(a => a.Key.Scope).Distinct().ToList();
        var keyNames = group.Select(a => a.Key.Key).Distinct().ToList();
        var usedKeys = (await db.IdempotencyKeys.AsNoTracking().Where(k => EF.Parameter(scopes).Contains(k.Scope) && EF.Parameter(keyNames).Contains(k.Key))
                .Select(k => new { k.Scope, k.Key }).ToListAsync())
            .Select(k => new IdempotencyKey(k.Scope, k.Key)).ToHashSet();
        var providers = group.Select(a => a.Report.Provider).Distinct().ToList();
        var eventIds = group.Select(a => a.Report.ExternalEventId).Distinct().ToList();
        var events = (await db.Activities.AsNoTracking().Where(a => EF.Parameter(providers).Contains(a.Provider) && EF.Parameter(eventIds).Contains(a.ExternalEventId)).ToListAsync())
            .ToDictionary(a => (a.Provider, a.ExternalEventId));

        foreach (var award in group)
        {
            var report = award.Report;
            if (usedKeys.Contains(award.Key))
            {
                alone.Add(award); // a replay, a reused key or an abandoned claim: the single path knows each
                continue;
            }
            if (events.TryGetValue((report.Provider, report.ExternalEventId), out var existing))
            {
                if (existing is { Status: ActivityStatus.Pending, Source: ActivitySource.SelfReported }
                    && report.Source == ActivitySource.VerifiedProvider && existing.PatientId == report.PatientId
                    && existing.ActivityType == report.ActivityType)
                    alone.Add(award); // a provider verifying a self-report (after this group commits, if it is in it)
                else
                    answers.Add((award, () => Duplicate(existing))); // its id is known once the group's activities are in
                continue;
            }

            var activity = NewActivity(report, now);
            rows.Activities.Add(activity);
            events[(report.Provider, report.ExternalEventId)] = activity;
            if (Screen(activity, out var version, out var rule) is { } refusal)
            {
                MarkNoPoints(activity, refusal.Reason);
                answers.Add((award, () => NoPoints(activity, 0, refusal.Message)));
            }
            else if (report.Source == ActivitySource.SelfReported)
            {
                var pending = MarkPending(activity, version, rule);
                answers.Add((award, () => pending with { ActivityId = activity.Id }));
            }
            else
            {
                var item = new ToPrice(award, activity, version, rule);
                toPrice.Add(item);
                answers.Add((award, () => item.Activity.Status == ActivityStatus.Awarded
                    ? Awarded(item.Activity, rows.Credits[item.Activity], item.Rule)
                    : NoPoints(item.Activity, item.Rule.Points, CapUsedUp(item.Activity.Reason, item.Rule))));
            }
        }

        if (toPrice.Count > 0) await PriceAndCreditAsync(db, tx, toPrice, rows, now);
        await WriteRowsAsync(tx, rows);

        var written = answers.Select(a => (a.Award, Result: a.Answer())).ToList();
        if (written.Count > 0)
            await ResultRows.ExecuteAsync(tx, written.Select(w => new StoredResult(w.Award, JsonSerializer.Serialize(w.Result, ResultJson), now)).ToList(),
                ResultRows.InsertInto("loyalty_idempotency_keys"));
        if (_companion is not null && written.Where(w => w.Award.CompanionState is not null).Select(w => (w.Result, w.Award.CompanionState!)).ToList() is { Count: > 0 } companions)
            await _companion.WriteAsync(tx.Connection!, tx, companions, CancellationToken.None);
        return (written, alone);
    }

    /// <summary>
    /// Locks the group's accounts (in patient order, so two writers never deadlock), reads cap usage once, then prices in
    /// queue order; each activity that earns points gets its entry and lot in <paramref name="rows"/>.
    /// </summary>
    private async Task PriceAndCreditAsync(LoyaltyDb db, DbTransaction tx, List<ToPrice> toPrice, GroupRows rows, DateTime now)
    {
        var patients = toPrice.Select(p => p.Activity.PatientId).Distinct().Order(StringComparer.Ordinal).ToList();
        var accounts = rows.Accounts = await LockAccountsAsync(db, tx, patients, now);

        // A week can start in the year before (30 Dec): its earlier days carry that year.
        var years = toPrice.SelectMany(p => new[] { p.Activity.LocalYear, p.Activity.LocalWeekStart.Year }).Distinct().ToList();
        var weeks = toPrice.Select(p => p.Activity.LocalWeekStart).Distinct().ToList();
        var days = toPrice.Select(p => p.Activity.LocalDate).Distinct().ToList();
        var awarded = db.Activities.Where(a => EF.Parameter(patients).Contains(a.PatientId) && a.Status == ActivityStatus.Awarded);
        awarded = awarded.Where(a => EF.Parameter(years).Contains(a.LocalYear)); // IX_loyalty_activities_cap_usage: (patient, year, status, ...)
        var usedYear = (await awarded
                .GroupBy(a => new { a.PatientId, a.LocalYear }).Select(g => new { g.Key.PatientId, g.Key.LocalYear, Points = g.Sum(a => a.Points) })
                .ToListAsync())
            .ToDictionary(u => (u.PatientId, u.LocalYear), u => u.Points);
        // Naming the categories too lets the week and day sums seek to their weeks instead of reading the patient's year.
        var categories = toPrice.Select(p => (string?)p.Rule.Category).Distinct().ToList();
        var inWeeks = awarded.Where(a => EF.Parameter(categories).Contains(a.Category) && EF.Parameter(weeks).Contains(a.LocalWeekStart));
        var usedWeek = (await inWeeks
                .GroupBy(a => new { a.PatientId, a.Category, a.LocalWeekStart }).Select(g => new { g.Key.PatientId, g.Key.Category, g.Key.LocalWeekStart, Points = g.Sum(a => a.Points) })
                .ToListAsync())
            .ToDictionary(u => (u.PatientId, u.Category ?? "", u.LocalWeekStart), u => u.Points);
        var usedDay = (await inWeeks.Where(a => EF.Parameter(days).Contains(a.LocalDate))
                .GroupBy(a => new { a.PatientId, a.Category, a.LocalDate }).Select(g => new { g.Key.PatientId, g.Key.Category, g.Key.LocalDate, Points = g.Sum(a => a.Points) })
                .ToListAsync())
            .ToDictionary(u => (u.PatientId, u.Category ?? "", u.LocalDate), u => u.Points);

        foreach (var (award, activity, version, rule) in toPrice)
        {
            var (patient, category) = (activity.PatientId, rule.Category);
            var (dayKey, weekKey, yearKey) = ((patient, category, activity.LocalDate), (patient, category, activity.LocalWeekStart), (patient, activity.LocalYear));
            var (points, reason) = Cap(version, rule, version.Categories[category],
                usedDay.GetValueOrDefault(dayKey), usedWeek.GetValueOrDefault(weekKey), usedYear.GetValueOrDefault(yearKey));
            if (points == 0)
            {
                MarkNoPoints(activity, reason);
                continue;
            }
            var account = accounts[patient];
            var (entry, lot) = Credit(account, activity, points, reason, award.Key.ToString());
            rows.Credits[activity] = entry;
            rows.Lots.Add(lot);
            account.UpdatedAt = now;
            usedDay[dayKey] = usedDay.GetValueOrDefault(dayKey) + points;
            usedWeek[weekKey] = usedWeek.GetValueOrDefault(weekKey) + points;
            usedYear[yearKey] = usedYear.GetValueOrDefault(yearKey) + points;
        }
    }

    /// <summary>Creates missing accounts and locks them all: row locks in patient order on PostgreSQL; SQLite's write lock is already held.</summary>
    private static async Task<Dictionary<string, Account>> LockAccountsAsync(LoyaltyDb db, DbTransaction tx, List<string> patients, DateTime now)
    {
        await AccountRows.ExecuteAsync(tx, patients.Select(p => new Account { PatientId = p, UpdatedAt = now }).ToList(),
            AccountRows.InsertInto("loyalty_accounts", "ON CONFLICT DO NOTHING"));
        var ids = patients.ToArray();
        var accounts = db.LocksRows
            ? await db.Accounts.FromSql($"""SELECT * FROM loyalty_accounts WHERE "PatientId" = ANY({ids}) ORDER BY "PatientId" FOR UPDATE""").AsNoTracking().ToListAsync()
            : await db.Accounts.AsNoTracking().Where(a => EF.Parameter(patients).Contains(a.PatientId)).ToListAsync();
        return accounts.ToDictionary(a => a.PatientId);
    }

    /// <summary>Inserts the group's activities, then their entries and lots (each needing the ids before it), and moves the balances.</summary>
    private static async Task WriteRowsAsync(DbTransaction tx, GroupRows rows)
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
        await AccountRows.ExecuteAsync(tx, rows.Lots.Select(l => l.PatientId).Distinct().Select(p => rows.Accounts[p]).ToList(), """
            UPDATE loyalty_accounts AS a SET "Balance" = new_rows."Balance", "UpdatedAt" = new_rows."UpdatedAt"
            FROM new_rows WHERE a."PatientId" = new_rows."PatientId"
            """);
    }
}
