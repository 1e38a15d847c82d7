using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Redemptions;

/// <summary>Spending points on rewards: in one step, or two-phase (reserve, then the partner confirms or cancels, or it expires).</summary>
internal sealed class RedemptionDesk(AccountTransactions accounts, IdempotentWrites once, Bookkeeper book, LoyaltyDbFactory dbs,
    LoyaltyOptions options, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Holds points and stock for a partner to fulfil; confirm or cancel it before <see cref="LoyaltyOptions.ReservationTimeout"/> or it expires.</summary>
    public Task<Redemption> ReserveAsync(RedemptionRequest request, IdempotencyKey key, CancellationToken ct) =>
        SpendAsync(request, key, twoPhase: true, ct);

    /// <summary>Spends points on a reward in one step (no partner confirmation needed).</summary>
    public Task<Redemption> RedeemAsync(RedemptionRequest request, IdempotencyKey key, CancellationToken ct) =>
        SpendAsync(request, key, twoPhase: false, ct);

    /// <summary>The partner fulfilled the reservation: the held points become spent. Confirming twice is harmless.</summary>
    public Task<Redemption> ConfirmAsync(string patientId, Guid reservationId, CancellationToken ct) =>
        accounts.InAccountAsync(patientId, async (db, account) =>
        {
            var reservation = await FindReservationAsync(db, patientId, reservationId, ct);
            if (reservation.Status == ReservationStatus.Confirmed) return Redemption.From(reservation);
            if (reservation.Status != ReservationStatus.Reserved || reservation.ExpiresAt <= Now)
                throw new LedgerException(LedgerErrorCode.ReservationNotActive, $"Reservation {reservationId} is {Describe(reservation)} and cannot be confirmed.");
            reservation.Status = ReservationStatus.Confirmed;
            reservation.ClosedAt = Now;
            book.Append(db, account, EntryKind.Confirm, 0, e => e.ReservationId = reservation.Id);
            return Redemption.From(reservation);
        }, ct);

    /// <summary>The reservation will not be fulfilled: points and stock go back. Cancelling twice is harmless.</summary>
    public Task<Redemption> CancelAsync(string patientId, Guid reservationId, CancellationToken ct) =>
        accounts.InAccountAsync(patientId, async (db, account) =>
        {
            var reservation = await FindReservationAsync(db, patientId, reservationId, ct);
            if (reservation.Status == ReservationStatus.Cancelled) return Redemption.From(reservation);
            if (reservation.Status != ReservationStatus.Reserved)
                throw new LedgerException(LedgerErrorCode.ReservationNotActive, $"Reservation {reservationId} is {Describe(reservation)} and cannot be cancelled.");
            await ReleaseAsync(db, account, reservation, ReservationStatus.Cancelled, ct);
            return Redemption.From(reservation);
        }, ct);

    /// <summary>Returns points and stock of reservations left unconfirmed past their time; a frequent job calls this. Returns how many expired.</summary>
    public async Task<int> ExpireReservationsAsync(CancellationToken ct)
    {
        var now = Now;
        List<(Guid Id, string PatientId)> due;
        await using (var db = dbs.CreateDbContext())
            due = (await db.Reservations.Where(r => r.Status == ReservationStatus.Reserved && r.ExpiresAt <= now)
                .OrderBy(r => r.ExpiresAt).Select(r => new { r.Id, r.PatientId }).ToListAsync(ct)).Select(r => (r.Id, r.PatientId)).ToList();
        var expired = 0;
        foreach (var (id, patientId) in due)
            expired += await accounts.InAccountAsync(patientId, async (db, account) =>
            {
                var reservation = await db.Reservations.SingleAsync(r => r.Id == id, ct);
                if (reservation.Status != ReservationStatus.Reserved || reservation.ExpiresAt > Now) return 0;
                await ReleaseAsync(db, account, reservation, ReservationStatus.Expired, ct);
                return 1;
            }, ct);
        return expired;
    }

    private Task<Redemption> SpendAsync(RedemptionRequest request, IdempotencyKey key, bool twoPhase, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.PatientId) || string.IsNullOrWhiteSpace(request.RewardId) || request.Quantity is <= 0 or > 1000)
            throw new LedgerException(LedgerErrorCode.InvalidRequest, "Patient and reward are required and quantity must be 1 to 1000.");
        return once.OnceAsync(key, twoPhase ? "reserve" : "redeem", request, request.PatientId, async (db, account, k) =>
        {
            var reward = await db.Rewards.AsNoTracking().SingleOrDefaultAsync(r => r.Id == request.RewardId, ct)
                ?? throw new LedgerException(LedgerErrorCode.UnknownReward, $"No reward '{request.RewardId}'.");
            var cost = (long)reward.PointCost * request.Quantity;
            if (account.Balance < cost)
                throw new LedgerException(LedgerErrorCode.InsufficientPoints, $"{cost} points needed, {account.Balance} available.");
            var taken = await db.Rewards.Where(r => r.Id == reward.Id && r.Stock >= request.Quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Stock, r => r.Stock - request.Quantity), ct);
            if (taken == 0)
                throw new LedgerException(LedgerErrorCode.OutOfStock, $"Reward '{reward.Id}' has fewer than {request.Quantity} left.");

            var now = Now;
            var reservation = new Reservation
            {
                Id = Guid.CreateVersion7(clock.GetUtcNow()), PatientId = request.PatientId, RewardId = reward.Id,
                Quantity = request.Quantity, Points = (int)cost, CreatedAt = now, ExpiresAt = now + options.ReservationTimeout,
                Status = twoPhase ? ReservationStatus.Reserved : ReservationStatus.Confirmed, ClosedAt = twoPhase ? null : now,
            };
            db.Reservations.Add(reservation);
            var entry = book.Append(db, account, twoPhase ? EntryKind.Reserve : EntryKind.Redemption, -(int)cost, e =>
            {
                e.ReservationId = reservation.Id;
                e.IdempotencyKey = k;
            });
            await Bookkeeper.DebitLotsAsync(db, entry, (int)cost, null, ct);
            return Redemption.From(reservation);
        }, ct);
    }

    /// <summary>Puts the held points back into the lots they came from and the units back in stock.</summary>
    private async Task ReleaseAsync(LoyaltyDb db, Account account, Reservation reservation, ReservationStatus status, CancellationToken ct)
    {
        reservation.Status = status;
        reservation.ClosedAt = Now;
        await db.Rewards.Where(r => r.Id == reservation.RewardId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Stock, r => r.Stock + reservation.Quantity), ct);
        var kind = status == ReservationStatus.Expired ? EntryKind.ReservationExpired : EntryKind.Cancel;
        var entry = book.Append(db, account, kind, reservation.Points, e => e.ReservationId = reservation.Id);
        var held = await db.LotDebits.Where(d => d.Entry!.ReservationId == reservation.Id && d.Entry.Kind == EntryKind.Reserve).ToListAsync(ct);
        var lots = await db.Lots.Where(l => held.Select(d => d.LotId).Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        foreach (var debit in held)
        {
            lots[debit.LotId].Remaining += debit.Points;
            db.LotDebits.Add(new LotDebit { LotId = debit.LotId, Entry = entry, Points = -debit.Points });
        }
    }

    private static async Task<Reservation> FindReservationAsync(LoyaltyDb db, string patientId, Guid id, CancellationToken ct) =>
        await db.Reservations.SingleOrDefaultAsync(r => r.Id == id && r.PatientId == patientId, ct)
        ?? throw new LedgerException(LedgerErrorCode.ReservationNotFound, $"No reservation {id} for this patient.");

    private string Describe(Reservation r) =>
        r.Status == ReservationStatus.Reserved && r.ExpiresAt <= Now ? "expired" : r.Status.ToString().ToLowerInvariant();
}
