using System.Collections.Concurrent;
using Stopwatch = System.Diagnostics.Stopwatch;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Benefit.Loyalty;

/// <summary>
/// Group commit for awards. Reports queue up; one writer takes everything waiting (up to <see cref="MaxAwardGroup"/>), prices
/// it in one transaction with a handful of set-based queries, and commits once, so a burst of awards costs one durable commit
/// instead of one (or two) per award. Each answer is released only after its group committed. Semantics are those of one
/// award at a time, in queue order: caps see the awards before them in the group, a second report of the same event is a
/// duplicate, and every report stores its result under its idempotency key in the same transaction.
/// The unusual cases (a key seen before, a provider verifying a pending self-report) and a group that fails as a whole are
/// handled one report at a time by the single-award path, which claims the key first. The host's <see cref="IAwardCompanion"/>
/// rows (the API's audit entries) go into the group's transaction. On SQLite one writer takes groups; on PostgreSQL two do,
/// locking their accounts in patient order.
/// </summary>
public sealed partial class PointsLedger : IAsyncDisposable
{
    private const int MaxAwardGroup = 256;

    /// <summary>Meter "Benefit.Loyalty": award group sizes and write times (e.g. <c>dotnet-counters monitor --counters Benefit.Loyalty</c>).</summary>
    public const string MeterName = "Benefit.Loyalty";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> GroupSize = Meter.CreateHistogram<int>("benefit.points.award_group.size", "{award}", "Awards written in one transaction");
    private static readonly Histogram<double> GroupTime = Meter.CreateHistogram<double>("benefit.points.award_group.duration", "ms", "From taking the write gate to commit");
    private readonly Channel<PendingAward> _awardQueue = Channel.CreateUnbounded<PendingAward>();
    private readonly ConcurrentDictionary<IdempotencyKey, byte> _awardKeysInFlight = new();
    private readonly Lazy<Task> _awardWriter;
    private long _awardGroupsWritten;
    private long _awardGroupsFailed;

    /// <summary>Groups committed, and groups that failed as a whole and were written one by one (for tests and diagnostics).</summary>
    internal (long Written, long Failed) AwardGroups => (Interlocked.Read(ref _awardGroupsWritten), Interlocked.Read(ref _awardGroupsFailed));

    private sealed class PendingAward(ActivityReport report, IdempotencyKey key, object? companionState)
    {
        public ActivityReport Report { get; } = report;
        public IdempotencyKey Key { get; } = key;
        public object? CompanionState { get; } = companionState;
        public string Hash { get; } = PointsLedger.Hash("award", report);
        public TaskCompletionSource<AwardResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task<AwardResult> AwardInGroupAsync(ActivityReport report, IdempotencyKey key, object? companionState, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // A second request with a key this process is still working on; other processes find the key in the table.
        if (!_awardKeysInFlight.TryAdd(key, 0))
            throw Error(LedgerErrorCode.RequestInFlight, $"A request with idempotency key {key} is still in progress.");
        try
        {
            var pending = new PendingAward(report, key, companionState);
            _ = _awardWriter.Value;
            await _awardQueue.Writer.WriteAsync(pending, CancellationToken.None);
            // Once queued the award goes ahead even if the caller gives up: a retry with the same key gets its result.
            return await pending.Done.Task;
        }
        finally
        {
            _awardKeysInFlight.TryRemove(key, out _);
        }
    }

    /// <summary>Stops taking awards once the queued ones are written.</summary>
    public async ValueTask DisposeAsync()
    {
        _awardQueue.Writer.TryComplete();
        if (_awardWriter.IsValueCreated) await _awardWriter.Value;
    }

    private async Task WriteAwardGroupsAsync()
    {
        var group = new List<PendingAward>(MaxAwardGroup);
        while (await _awardQueue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxAwardGroup && _awardQueue.Reader.TryRead(out var pending)) group.Add(pending);
            try
            {
                await WriteAwardsAsync(group);
            }
            catch (Exception e)
            {
                foreach (var pending in group) pending.Done.TrySetException(e);
            }
            group.Clear();
        }
    }

    private async Task WriteAwardsAsync(List<PendingAward> group)
    {
        List<(PendingAward Award, AwardResult Result)> written;
        List<PendingAward> alone;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var gate = await EnterWriteAsync(CancellationToken.None);
                var started = Stopwatch.GetTimestamp();
                await using var db = _dbs.CreateDbContext();
                db.Database.AutoSavepointsEnabled = false;
                await using var tx = await db.Database.BeginTransactionAsync();
                (written, alone) = await PriceGroupAsync(db, group);
                await tx.CommitAsync();
                Interlocked.Increment(ref _awardGroupsWritten);
                GroupTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                GroupSize.Record(group.Count);
                break;
            }
            catch (Exception e) when (attempt < MaxAttempts && IsTransient(e))
            {
            }
            catch (Exception e)
            {
                // Nothing of the group was committed; each report gets its own transaction, so one bad report fails alone.
                _logger?.LogWarning(e, "A group of {Count} awards failed as a whole; writing them one by one", group.Count);
                Interlocked.Increment(ref _awardGroupsFailed);
                (written, alone) = ([], group);
                break;
            }
        }
        foreach (var (award, result) in written) award.Done.TrySetResult(result);
        foreach (var award in alone)
        {
            try
            {
                award.Done.TrySetResult(await AwardAloneAsync(award.Report, award.Key, award.CompanionState, CancellationToken.None));
            }
            catch (Exception e)
            {
                award.Done.TrySetException(e);
            }
        }
    }

    private sealed record ToPrice(PendingAward Award, ActivityEvent Activity, PointsRuleVersion Version, ActivityRule Rule);

    /// <summary>Prices a group in queue order inside the caller's transaction; returns the answers and the reports left for the single path.</summary>
    private async Task<(List<(PendingAward, AwardResult)> Written, List<PendingAward> Alone)> PriceGroupAsync(LoyaltyDb db, List<PendingAward> group)
    {
        var now = UtcNow;
        var alone = new List<PendingAward>();
        var answers = new List<(PendingAward Award, Func<AwardResult> Answer)>(group.Count);
        var toPrice = new List<ToPrice>(group.Count);
        var credits = new Dictionary<ActivityEvent, LedgerEntry>(ReferenceEqualityComparer.Instance);

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
                    answers.Add((award, () => Duplicate(existing)));
                continue;
            }

            var activity = NewActivity(report, now);
            db.Activities.Add(activity);
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
                    ? Awarded(item.Activity, credits[item.Activity], item.Rule)
                    : NoPoints(item.Activity, item.Rule.Points, CapUsedUp(item.Activity.Reason, item.Rule))));
            }
        }

        if (toPrice.Count > 0) await PriceAndCreditAsync(db, toPrice, credits, now);
        await db.SaveChangesAsync();

        var written = answers.Select(a => (a.Award, Result: a.Answer())).ToList();
        if (written.Count > 0) await StoreResultsAsync(db, written, now);
        if (_companion is not null && written.Where(w => w.Award.CompanionState is not null).Select(w => (w.Result, w.Award.CompanionState!)).ToList() is { Count: > 0 } companions)
            await _companion.WriteAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction(), companions, CancellationToken.None);
        return (written, alone);
    }

    /// <summary>
    /// Stores each answer under its idempotency key, completed, in one multi-row insert (as EF would write
    /// <see cref="IdempotencyRecord"/>s, a statement per row: a group's biggest single cost after its own rows).
    /// </summary>
    private static async Task StoreResultsAsync(LoyaltyDb db, List<(PendingAward Award, AwardResult Result)> written, DateTime now)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var sql = new StringBuilder("""
            INSERT INTO loyalty_idempotency_keys ("Scope", "Key", "RequestHash", "Completed", "ResultJson", "ErrorCode", "ErrorMessage", "CreatedAt", "LeaseUntil") VALUES 
            """);
        command.AddParameter("now", now);
        command.AddParameter("done", true);
        for (var i = 0; i < written.Count; i++)
        {
            var (award, result) = written[i];
            sql.Append(i == 0 ? "" : ", ").Append($"(@s{i}, @k{i}, @h{i}, @done, @r{i}, NULL, NULL, @now, @now)");
            command.AddParameter($"s{i}", award.Key.Scope);
            command.AddParameter($"k{i}", award.Key.Key);
            command.AddParameter($"h{i}", award.Hash);
            command.AddParameter($"r{i}", JsonSerializer.Serialize(result, ResultJson));
        }
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Locks the group's accounts (in patient order, so two writers never deadlock), reads cap usage once, then prices in
    /// queue order; <paramref name="credits"/> gets the entry of each activity that earned points.
    /// </summary>
    private async Task PriceAndCreditAsync(LoyaltyDb db, List<ToPrice> toPrice, Dictionary<ActivityEvent, LedgerEntry> credits, DateTime now)
    {
        var patients = toPrice.Select(p => p.Activity.PatientId).Distinct().Order(StringComparer.Ordinal).ToList();
        var accounts = await LockAccountsAsync(db, patients, now);

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
            credits[activity] = Credit(db, account, activity, points, reason, award.Key.ToString());
            account.UpdatedAt = now;
            usedDay[dayKey] = usedDay.GetValueOrDefault(dayKey) + points;
            usedWeek[weekKey] = usedWeek.GetValueOrDefault(weekKey) + points;
            usedYear[yearKey] = usedYear.GetValueOrDefault(yearKey) + points;
        }
    }

    /// <summary>Creates missing accounts and locks them all: row locks in patient order on PostgreSQL; SQLite's write lock is already held.</summary>
    private static async Task<Dictionary<string, Account>> LockAccountsAsync(LoyaltyDb db, List<string> patients, DateTime now)
    {
        // Only numbered placeholders go into the text; the patient ids and the time are parameters.
        var sql = """INSERT INTO loyalty_accounts ("PatientId", "Balance", "UpdatedAt") VALUES """
            + string.Join(", ", patients.Select((_, i) => $"({{{i + 1}}}, 0, {{0}})")) + " ON CONFLICT DO NOTHING";
        object[] arguments = [now, .. patients];
        await db.Database.ExecuteSqlRawAsync(sql, arguments);
        var ids = patients.ToArray();
        var accounts = db.LocksRows
            ? await db.Accounts.FromSql($"""SELECT * FROM loyalty_accounts WHERE "PatientId" = ANY({ids}) ORDER BY "PatientId" FOR UPDATE""").ToListAsync()
            : await db.Accounts.Where(a => EF.Parameter(patients).Contains(a.PatientId)).ToListAsync();
        return accounts.ToDictionary(a => a.PatientId);
    }
}
