using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Ledger;

/// <summary>Corrections by new entries, never edits: reversing an award, a manual adjustment, and expiry of old points.</summary>
internal sealed class Corrections(LoyaltyDbFactory dbs, AccountTransactions accounts, IdempotentWrites once, Bookkeeper book, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Takes back an award (fraud, a mistaken report). The balance never goes negative: the award's own unspent points
    /// are reversed first, then other points oldest-first up to the available balance; what is left — points the
    /// patient already spent or holds in an open reservation — is recorded as <see cref="ReversalResult.Shortfall"/>
    /// on the reversal entry for an administrator to follow up. Points of the award that already expired are not reversed.
    /// An award can be reversed once.
    /// </summary>
    public async Task<ReversalResult> ReverseAsync(long awardEntryId, string reason, IdempotencyKey key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new LedgerException(LedgerErrorCode.InvalidRequest, "A reversal needs a reason.");
        string patientId;
        await using (var db = dbs.CreateDbContext())
            patientId = await db.Entries.Where(e => e.Id == awardEntryId && e.Kind == EntryKind.Award).Select(e => e.PatientId).SingleOrDefaultAsync(ct)
                ?? throw new LedgerException(LedgerErrorCode.AwardNotFound, $"No award entry {awardEntryId}.");

        return await once.OnceAsync(key, "reverse", new { awardEntryId, reason }, patientId, async (db, account, k) =>
        {
            if (await db.Entries.AnyAsync(e => e.ReversedEntryId == awardEntryId, ct))
                throw new LedgerException(LedgerErrorCode.AlreadyReversed, $"Award {awardEntryId} was already reversed.");
            var award = await db.Entries.Include(e => e.Activity).SingleAsync(e => e.Id == awardEntryId, ct);
            var lot = await db.Lots.SingleAsync(l => l.SourceEntryId == awardEntryId, ct);
            var expired = await db.LotDebits.Where(d => d.LotId == lot.Id && d.Entry!.Kind == EntryKind.Expiry).SumAsync(d => d.Points, ct);
            var reversible = award.Points - expired;
            var taken = Math.Min(reversible, account.Balance);
            var entry = book.Append(db, account, EntryKind.Reversal, -taken, e =>
            {
                e.ReversedEntryId = awardEntryId;
                e.Shortfall = reversible - taken;
                e.Reason = reason;
                e.IdempotencyKey = k;
            });
            if (taken > 0) await Bookkeeper.DebitLotsAsync(db, entry, taken, lot.Id, ct);
            if (award.Activity is { } activity) activity.Status = ActivityStatus.Reversed;
            await db.SaveChangesAsync(ct);
            return new ReversalResult(patientId, entry.Id, awardEntryId, taken, reversible - taken, expired);
        }, ct);
    }

    /// <summary>A manual correction with a reason: positive adds a new lot, negative takes points oldest-first and may not exceed the balance.</summary>
    public Task<long> AdjustAsync(string patientId, int points, string reason, IdempotencyKey key, CancellationToken ct)
    {
        if (points == 0 || string.IsNullOrWhiteSpace(reason) || string.IsNullOrWhiteSpace(patientId))
            throw new LedgerException(LedgerErrorCode.InvalidRequest, "An adjustment needs a patient, non-zero points and a reason.");
        return once.OnceAsync(key, "adjust", new { patientId, points, reason }, patientId, async (db, account, k) =>
        {
            if (account.Balance + points < 0)
                throw new LedgerException(LedgerErrorCode.InsufficientPoints, $"Cannot take {-points} points from a balance of {account.Balance}.");
            var entry = book.Append(db, account, EntryKind.Adjustment, points, e => { e.Reason = reason; e.IdempotencyKey = k; });
            if (points > 0) db.Lots.Add(book.NewLot(entry, points));
            else await Bookkeeper.DebitLotsAsync(db, entry, -points, null, ct);
            await db.SaveChangesAsync(ct);
            return entry.Id;
        }, ct);
    }

    /// <summary>Expires points older than <see cref="LoyaltyOptions.PointsLifetimeMonths"/>, oldest lot first; the daily job calls this. Returns the points expired.</summary>
    public async Task<int> ExpirePointsAsync(CancellationToken ct)
    {
        var now = Now;
        List<string> patients;
        await using (var db = dbs.CreateDbContext())
            patients = await db.Lots.Where(l => l.Remaining > 0 && l.ExpiresAt <= now).Select(l => l.PatientId).Distinct().ToListAsync(ct);
        var total = 0;
        foreach (var patientId in patients)
            total += await accounts.InAccountAsync(patientId, async (db, account) =>
            {
                var lots = await db.Lots.Where(l => l.PatientId == patientId && l.Remaining > 0 && l.ExpiresAt <= now)
                    .OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id).ToListAsync(ct);
                var expired = 0;
                foreach (var lot in lots)
                {
                    var entry = book.Append(db, account, EntryKind.Expiry, -lot.Remaining,
                        e => e.Reason = $"Points earned {lot.EarnedAt:yyyy-MM-dd} expired.");
                    db.LotDebits.Add(new LotDebit { LotId = lot.Id, Entry = entry, Points = lot.Remaining });
                    expired += lot.Remaining;
                    lot.Remaining = 0;
                }
                return expired;
            }, ct);
        return total;
    }
}
