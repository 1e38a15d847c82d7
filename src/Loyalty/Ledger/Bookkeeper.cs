using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Ledger;

/// <summary>
/// Makes the entries and lots of every write: an entry moves the account's cached balance with it (a negative balance is a
/// bug, so it throws), a credit fills a lot that expires after <see cref="LoyaltyOptions.PointsLifetimeMonths"/>, a debit
/// takes from the oldest lots first.
/// </summary>
internal sealed class Bookkeeper(LoyaltyOptions options, TimeProvider clock)
{
    private DateTime UtcNow => clock.GetUtcNow().UtcDateTime;

    /// <summary>An entry not yet stored, with the account's cached balance moved by it.</summary>
    public LedgerEntry NewEntry(Account account, EntryKind kind, int points, Action<LedgerEntry>? fill = null)
    {
        var entry = new LedgerEntry { PatientId = account.PatientId, Kind = kind, Points = points, CreatedAt = UtcNow };
        fill?.Invoke(entry);
        account.Balance = checked(account.Balance + points);
        if (account.Balance < 0)
            throw new InvalidOperationException($"Balance of {account.PatientId} would become negative.");
        return entry;
    }

    /// <summary>Appends an entry to the context (see <see cref="NewEntry"/>).</summary>
    public LedgerEntry Append(LoyaltyDb db, Account account, EntryKind kind, int points, Action<LedgerEntry>? fill = null)
    {
        var entry = NewEntry(account, kind, points, fill);
        db.Entries.Add(entry);
        return entry;
    }

    /// <summary>The lot a credit entry fills, not yet stored.</summary>
    public PointLot NewLot(LedgerEntry entry, int points)
    {
        var now = UtcNow;
        return new PointLot
        {
            PatientId = entry.PatientId, SourceEntry = entry, EarnedAt = now,
            ExpiresAt = now.AddMonths(options.PointsLifetimeMonths), Original = points, Remaining = points,
        };
    }

    /// <summary>The entry (moving the cached balance) and lot of an award that credits <paramref name="points"/>; the caller stores both.</summary>
    public (LedgerEntry Entry, PointLot Lot) Credit(Account account, ActivityEvent activity, int points, string? key)
    {
        var entry = NewEntry(account, EntryKind.Award, points, e =>
        {
            e.Activity = activity;
            e.RuleVersion = activity.RuleVersion;
            e.IdempotencyKey = key;
        });
        return (entry, NewLot(entry, points));
    }

    /// <summary>Takes points from the oldest lots first (or from <paramref name="firstLotId"/> before the rest).</summary>
    public static async Task DebitLotsAsync(LoyaltyDb db, LedgerEntry entry, int points, long? firstLotId, CancellationToken ct)
    {
        var lots = await db.Lots.Where(l => l.PatientId == entry.PatientId && l.Remaining > 0)
            .OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id).ToListAsync(ct);
        var left = points;
        foreach (var lot in lots.OrderBy(l => l.Id == firstLotId ? 0 : 1))
        {
            if (left == 0) break;
            var take = Math.Min(left, lot.Remaining);
            lot.Remaining -= take;
            left -= take;
            db.LotDebits.Add(new LotDebit { LotId = lot.Id, Entry = entry, Points = take });
        }
        if (left > 0)
            throw new InvalidOperationException($"Lots of {entry.PatientId} do not cover a debit of {points}.");
    }
}
