using System.Data;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Ledger;

/// <summary>Reads of a patient's points: the statement, the history, a redemption, and the books for integrity checks.</summary>
internal sealed class LedgerQueries(LoyaltyDbFactory dbs, TimeProvider clock)
{
    public async Task<PointsStatement> GetStatementAsync(string patientId, TimeSpan? expiringWithin, CancellationToken ct)
    {
        var horizon = clock.GetUtcNow().UtcDateTime + (expiringWithin ?? TimeSpan.FromDays(30));
        await using var db = dbs.CreateDbContext();
        var balance = await db.Accounts.Where(a => a.PatientId == patientId).Select(a => a.Balance).SingleOrDefaultAsync(ct);
        var pending = await db.Activities.Where(a => a.PatientId == patientId && a.Status == ActivityStatus.Pending).SumAsync(a => a.Points, ct);
        var reserved = await db.Reservations.Where(r => r.PatientId == patientId && r.Status == ReservationStatus.Reserved).SumAsync(r => r.Points, ct);
        var live = db.Lots.Where(l => l.PatientId == patientId && l.Remaining > 0);
        var expiring = await live.Where(l => l.ExpiresAt <= horizon).SumAsync(l => l.Remaining, ct);
        var next = await live.OrderBy(l => l.ExpiresAt).Select(l => (DateTime?)l.ExpiresAt).FirstOrDefaultAsync(ct);
        return new PointsStatement(patientId, balance, pending, reserved, expiring, next is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : null);
    }

    /// <summary>The patient's entries, newest first.</summary>
    public async Task<HistoryPage> GetHistoryAsync(string patientId, int page, int pageSize, CancellationToken ct)
    {
        page = Math.Max(page, 1);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = dbs.CreateDbContext();
        var entries = db.Entries.Where(e => e.PatientId == patientId);
        var total = await entries.CountAsync(ct);
        var items = await entries.OrderByDescending(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new
            {
                e.Id, e.Kind, e.Points, e.CreatedAt, e.RuleVersion, e.ReservationId, e.ReversedEntryId, e.Shortfall, e.Reason,
                Type = e.Activity == null ? null : e.Activity.ActivityType,
                Provider = e.Activity == null ? null : e.Activity.Provider,
                EventId = e.Activity == null ? null : e.Activity.ExternalEventId,
                OccurredAt = e.Activity == null ? (DateTime?)null : e.Activity.OccurredAt,
            }).ToListAsync(ct);
        return new HistoryPage(items.Select(e => new EntryView(
            e.Id, e.Kind, e.Points, Utc(e.CreatedAt), e.Type, e.Provider, e.EventId, e.OccurredAt is { } o ? Utc(o) : null,
            e.RuleVersion, e.ReservationId, e.ReversedEntryId, e.Shortfall, e.Reason)).ToList(), page, pageSize, total);
    }

    public async Task<Redemption?> GetRedemptionAsync(string patientId, Guid reservationId, CancellationToken ct)
    {
        await using var db = dbs.CreateDbContext();
        var r = await db.Reservations.AsNoTracking().SingleOrDefaultAsync(x => x.Id == reservationId && x.PatientId == patientId, ct);
        return r is null ? null : Redemption.From(r);
    }

    /// <summary>Recomputes an account's books from entries, lots and reservations (tests and integrity checks).</summary>
    public async Task<AccountAudit> AuditAccountAsync(string patientId, CancellationToken ct)
    {
        await using var db = dbs.CreateDbContext();
        // One snapshot for all sums (PostgreSQL repeatable read; SQLite serialises), so concurrent writes cannot skew the books.
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var sums = (await db.Entries.Where(e => e.PatientId == patientId).GroupBy(e => e.Kind)
            .Select(g => new { g.Key, Plus = g.Sum(e => e.Points > 0 ? e.Points : 0), Minus = g.Sum(e => e.Points < 0 ? -e.Points : 0) })
            .ToListAsync(ct)).ToDictionary(x => x.Key);
        int Plus(EntryKind k) => sums.TryGetValue(k, out var s) ? s.Plus : 0;
        int Minus(EntryKind k) => sums.TryGetValue(k, out var s) ? s.Minus : 0;
        var reservations = db.Reservations.Where(r => r.PatientId == patientId);
        return new AccountAudit(
            CachedBalance: await db.Accounts.Where(a => a.PatientId == patientId).Select(a => a.Balance).SingleOrDefaultAsync(ct),
            EntrySum: sums.Values.Sum(s => s.Plus - s.Minus),
            LotsRemaining: await db.Lots.Where(l => l.PatientId == patientId).SumAsync(l => l.Remaining, ct),
            Issued: Plus(EntryKind.Award) + Plus(EntryKind.Adjustment),
            Reserved: await reservations.Where(r => r.Status == ReservationStatus.Reserved).SumAsync(r => r.Points, ct),
            Spent: await reservations.Where(r => r.Status == ReservationStatus.Confirmed).SumAsync(r => r.Points, ct),
            Expired: Minus(EntryKind.Expiry),
            Reversed: Minus(EntryKind.Reversal),
            AdjustedOut: Minus(EntryKind.Adjustment));
    }

    /// <summary>
    /// Every session before <paramref name="before"/> that names an intervention and whose attendance a provider vouched for
    /// (awarded, or no points because of a cap or a rule); pending self-reports and reversed awards are left out.
    /// </summary>
    public async Task<IReadOnlyList<InterventionSession>> InterventionSessionsAsync(DateTimeOffset before, CancellationToken ct)
    {
        var cutoff = before.UtcDateTime;
        await using var db = dbs.CreateDbContext();
        var rows = await db.Activities.AsNoTracking()
            .Where(a => a.InterventionId != null && a.OccurredAt < cutoff
                && (a.Status == ActivityStatus.Awarded || a.Status == ActivityStatus.NoPoints))
            .OrderBy(a => a.PatientId).ThenBy(a => a.OccurredAt).ThenBy(a => a.Id)
            .Select(a => new { a.PatientId, a.InterventionId, a.Provider, a.OccurredAt })
            .ToListAsync(ct);
        return rows.Select(a => new InterventionSession(a.PatientId, a.InterventionId!, a.Provider, Utc(a.OccurredAt))).ToList();
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);
}
