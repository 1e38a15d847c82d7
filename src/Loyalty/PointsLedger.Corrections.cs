using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty;

/// <summary>The outcome of reversing an award.</summary>
/// <param name="PointsReversed">Points taken back from the balance.</param>
/// <param name="Shortfall">Points of the award that were already spent (or held for a reservation) and could not be taken back.</param>
/// <param name="PointsExpired">Points of the award that had already expired; they are neither reversed nor a shortfall.</param>
public sealed record ReversalResult(string PatientId, long ReversalEntryId, long AwardEntryId, int PointsReversed, int Shortfall, int PointsExpired);

public sealed partial class PointsLedger
{
    /// <summary>
    /// Takes back an award (fraud, a mistaken report). The balance never goes negative: the award's own unspent points
    /// are reversed first, then other points oldest-first up to the available balance; what is left — points the
    /// patient already spent or holds in an open reservation — is recorded as <see cref="ReversalResult.Shortfall"/>
    /// on the reversal entry for an administrator to follow up. Points of the award that already expired are not reversed.
    /// An award can be reversed once.
    /// </summary>
    public async Task<ReversalResult> ReverseAwardAsync(long awardEntryId, string reason, IdempotencyKey key, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw Error(LedgerErrorCode.InvalidRequest, "A reversal needs a reason.");
        string patientId;
        await using (var db = _dbs.CreateDbContext())
            patientId = await db.Entries.Where(e => e.Id == awardEntryId && e.Kind == EntryKind.Award).Select(e => e.PatientId).SingleOrDefaultAsync(ct)
                ?? throw Error(LedgerErrorCode.AwardNotFound, $"No award entry {awardEntryId}.");

        return await OnceAsync(key, "reverse", new { awardEntryId, reason }, patientId, async (db, account, k) =>
        {
            if (await db.Entries.AnyAsync(e => e.ReversedEntryId == awardEntryId, ct))
                throw Error(LedgerErrorCode.AlreadyReversed, $"Award {awardEntryId} was already reversed.");
            var award = await db.Entries.Include(e => e.Activity).SingleAsync(e => e.Id == awardEntryId, ct);
            var lot = await db.Lots.SingleAsync(l => l.SourceEntryId == awardEntryId, ct);
            var expired = await db.LotDebits.Where(d => d.LotId == lot.Id && d.Entry!.Kind == EntryKind.Expiry).SumAsync(d => d.Points, ct);
            var reversible = award.Points - expired;
            var taken = Math.Min(reversible, account.Balance);
            var entry = Append(db, account, EntryKind.Reversal, -taken, e =>
            {
                e.ReversedEntryId = awardEntryId;
                e.Shortfall = reversible - taken;
                e.Reason = reason;
                e.IdempotencyKey = k;
            });
            if (taken > 0) await DebitLotsAsync(db, entry, taken, lot.Id, ct);
            if (award.Activity is { } activity) activity.Status = ActivityStatus.Reversed;
            await db.SaveChangesAsync(ct);
            return new ReversalResult(patientId, entry.Id, awardEntryId, taken, reversible - taken, expired);
        }, ct);
    }

    /// <summary>A manual correction with a reason: positive adds a new lot, negative takes points oldest-first and may not exceed the balance.</summary>
    public Task<long> AdjustAsync(string patientId, int points, string reason, IdempotencyKey key, CancellationToken ct = default)
    {
        if (points == 0 || string.IsNullOrWhiteSpace(reason) || string.IsNullOrWhiteSpace(patientId))
            throw Error(LedgerErrorCode.InvalidRequest, "An adjustment needs a patient, non-zero points and a reason.");
        return OnceAsync(key, "adjust", new { patientId, points, reason }, patientId, async (db, account, k) =>
        {
            if (account.Balance + points < 0)
                throw Error(LedgerErrorCode.InsufficientPoints, $"Cannot take {-points} points from a balance of {account.Balance}.");
            var entry = Append(db, account, EntryKind.Adjustment, points, e => { e.Reason = reason; e.IdempotencyKey = k; });
            if (points > 0) CreditLot(db, entry, points);
            else await DebitLotsAsync(db, entry, -points, null, ct);
            await db.SaveChangesAsync(ct);
            return entry.Id;
        }, ct);
    }

    /// <summary>Expires points older than <see cref="LoyaltyOptions.PointsLifetimeMonths"/>, oldest lot first; the daily job calls this. Returns the points expired.</summary>
    public async Task<int> ExpirePointsAsync(CancellationToken ct = default)
    {
        var now = UtcNow;
        List<string> patients;
        await using (var db = _dbs.CreateDbContext())
            patients = await db.Lots.Where(l => l.Remaining > 0 && l.ExpiresAt <= now).Select(l => l.PatientId).Distinct().ToListAsync(ct);
        var total = 0;
        foreach (var patientId in patients)
            total += await InAccountAsync(patientId, async (db, account) =>
            {
                var lots = await db.Lots.Where(l => l.PatientId == patientId && l.Remaining > 0 && l.ExpiresAt <= now)
                    .OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id).ToListAsync(ct);
                var expired = 0;
                foreach (var lot in lots)
                {
                    var entry = Append(db, account, EntryKind.Expiry, -lot.Remaining,
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
