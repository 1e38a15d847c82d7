using Benefit.Loyalty.Redemptions;

namespace Benefit.Loyalty.Tests.Infrastructure;

/// <summary>A plain in-memory model of one account: FIFO lots, reservations and stock, as the ledger promises to behave.</summary>
public sealed class LedgerModel(int stock)
{
    public sealed class Lot(int points, DateTimeOffset expiresAt)
    {
        public int Remaining { get; set; } = points;
        public int Expired { get; set; }
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }

    public sealed record Award(long EntryId, int Points, Lot Lot)
    {
        public bool Reversed { get; set; }
    }

    public sealed record Hold(Guid Id, int Points, int Quantity, DateTimeOffset ExpiresAt, List<(Lot Lot, int Points)> Taken)
    {
        public ReservationStatus Status { get; set; }
    }

    public List<Lot> Lots { get; } = [];
    public List<Award> Awards { get; } = [];
    public List<Hold> Holds { get; } = [];
    public int Stock { get; private set; } = stock;
    public int Reversed { get; private set; }
    public int Balance => Lots.Sum(l => l.Remaining);
    public int Expired => Lots.Sum(l => l.Expired);

    public void Credit(long entryId, int points, DateTimeOffset now) =>
        Awards.Add(new Award(entryId, points, Add(new Lot(points, now.AddMonths(12)))));

    public LedgerErrorCode? PredictSpend(int cost, int quantity) =>
        Balance < cost ? LedgerErrorCode.InsufficientPoints : Stock < quantity ? LedgerErrorCode.OutOfStock : null;

    public void Spend(Guid id, int cost, int quantity, DateTimeOffset expiresAt, ReservationStatus status)
    {
        Stock -= quantity;
        Holds.Add(new Hold(id, cost, quantity, expiresAt, Debit(cost, null)) { Status = status });
    }

    public void Release(Hold hold, ReservationStatus status)
    {
        hold.Status = status;
        Stock += hold.Quantity;
        foreach (var (lot, points) in hold.Taken) lot.Remaining += points;
    }

    /// <summary>Returns (reversed, shortfall, expired) the way the ledger documents it.</summary>
    public (int, int, int) Reverse(Award award)
    {
        award.Reversed = true;
        var reversible = award.Points - award.Lot.Expired;
        var taken = Math.Min(reversible, Balance);
        Debit(taken, award.Lot);
        Reversed += taken;
        return (taken, reversible - taken, award.Lot.Expired);
    }

    public (int Reservations, int Points) Expire(DateTimeOffset now)
    {
        var due = Holds.Where(h => h.Status == ReservationStatus.Reserved && h.ExpiresAt <= now).ToList();
        foreach (var hold in due) Release(hold, ReservationStatus.Expired);
        var points = 0;
        foreach (var lot in Lots.Where(l => l.ExpiresAt <= now && l.Remaining > 0))
        {
            points += lot.Remaining;
            lot.Expired += lot.Remaining;
            lot.Remaining = 0;
        }
        return (due.Count, points);
    }

    public int Held(ReservationStatus status) => Holds.Where(h => h.Status == status).Sum(h => h.Points);

    private Lot Add(Lot lot)
    {
        Lots.Add(lot);
        return lot;
    }

    private List<(Lot, int)> Debit(int points, Lot? first)
    {
        var taken = new List<(Lot, int)>();
        foreach (var lot in Lots.Where(l => l == first).Concat(Lots.Where(l => l != first)))
        {
            var take = Math.Min(points, lot.Remaining);
            if (take == 0) continue;
            lot.Remaining -= take;
            points -= take;
            taken.Add((lot, take));
        }
        return taken;
    }
}
