using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;
using Benefit.Loyalty.Tests.Infrastructure;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Benefit.Loyalty.Tests;

/// <summary>Random sequences of ledger operations against the database and against <see cref="LedgerModel"/>, checking the books after every step.</summary>
public sealed class LedgerModelTests
{
    private const int Price = 15;
    private static readonly int[] AwardPoints = [10, 25, 40, 100];
    private static readonly string[] AwardTypes = ["ten", "twenty-five", "forty", "hundred"];

    public abstract record Op;
    public sealed record Award(int Type) : Op;
    public sealed record ReplayLastAward : Op;
    public sealed record Redeem(int Quantity) : Op;
    public sealed record Reserve(int Quantity) : Op;
    public sealed record Confirm(int Pick) : Op;
    public sealed record Cancel(int Pick) : Op;
    public sealed record Reverse(int Pick) : Op;
    public sealed record AdvanceAndExpire(int Hours) : Op;

    private static readonly Gen<Op> Ops = Gen.Frequency<Op>(
        (6, Gen.Int[0, 3].Select(i => (Op)new Award(i))),
        (1, Gen.Const((Op)new ReplayLastAward())),
        (3, Gen.Int[1, 3].Select(q => (Op)new Redeem(q))),
        (3, Gen.Int[1, 3].Select(q => (Op)new Reserve(q))),
        (2, Gen.Int[0, 9].Select(i => (Op)new Confirm(i))),
        (2, Gen.Int[0, 9].Select(i => (Op)new Cancel(i))),
        (2, Gen.Int[0, 9].Select(i => (Op)new Reverse(i))),
        (2, Gen.OneOf(0, 1, 24 * 100, 24 * 200).Select(h => (Op)new AdvanceAndExpire(h))));

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Random_operation_sequences_keep_the_books_balanced_after_every_step(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);

        // One thread: an expiry job run at one sequence's clock would expire another sequence's points early.
        await Ops.Array[1, 30].SampleAsync(ops => RunAsync(t, ops), iter: 30, threads: 1);
    }

    private static async Task RunAsync(TestLedger t, Op[] ops)
    {
        var clock = new FakeTimeProvider(TestLedger.Start);
        var ledger = t.WithClock(clock);
        var patient = "model-" + Guid.NewGuid().ToString("N");
        var reward = await t.AddRewardAsync(Price, stock: 6);
        var model = new LedgerModel(stock: 6);
        (ActivityReport Report, Idempotency.IdempotencyKey Key, AwardResult Result)? last = null;

        foreach (var op in ops)
        {
            switch (op)
            {
                case Award(var type):
                    var report = new ActivityReport(patient, "gym", Guid.NewGuid().ToString(), AwardTypes[type], clock.GetUtcNow());
                    var key = t.NewKey();
                    var awarded = await ledger.AwardAsync(report, key);
                    Assert.Equal((AwardOutcome.Awarded, AwardPoints[type]), (awarded.Outcome, awarded.Points));
                    model.Credit(awarded.EntryId!.Value, awarded.Points, clock.GetUtcNow());
                    last = (report, key, awarded);
                    break;
                case ReplayLastAward when last is { } l:
                    Assert.Equal(l.Result, await ledger.AwardAsync(l.Report, l.Key));
                    break;
                case Redeem(var quantity):
                    await SpendAsync(ledger, model, new RedemptionRequest(patient, reward, quantity), t.NewKey(), clock, twoPhase: false);
                    break;
                case Reserve(var quantity):
                    await SpendAsync(ledger, model, new RedemptionRequest(patient, reward, quantity), t.NewKey(), clock, twoPhase: true);
                    break;
                case Confirm(var pick) when model.Holds.Count > 0:
                    var toConfirm = model.Holds[pick % model.Holds.Count];
                    var canConfirm = toConfirm.Status == ReservationStatus.Confirmed
                        || (toConfirm.Status == ReservationStatus.Reserved && clock.GetUtcNow() < toConfirm.ExpiresAt);
                    await ExpectAsync(canConfirm ? null : LedgerErrorCode.ReservationNotActive, () => ledger.ConfirmAsync(patient, toConfirm.Id));
                    if (canConfirm) toConfirm.Status = ReservationStatus.Confirmed;
                    break;
                case Cancel(var pick) when model.Holds.Count > 0:
                    var toCancel = model.Holds[pick % model.Holds.Count];
                    var canCancel = toCancel.Status is ReservationStatus.Reserved or ReservationStatus.Cancelled;
                    await ExpectAsync(canCancel ? null : LedgerErrorCode.ReservationNotActive, () => ledger.CancelAsync(patient, toCancel.Id));
                    if (toCancel.Status == ReservationStatus.Reserved) model.Release(toCancel, ReservationStatus.Cancelled);
                    break;
                case Reverse(var pick) when model.Awards.Count > 0:
                    var award = model.Awards[pick % model.Awards.Count];
                    if (award.Reversed)
                    {
                        await ExpectAsync(LedgerErrorCode.AlreadyReversed, () => ledger.ReverseAwardAsync(award.EntryId, "model", t.NewKey()));
                        break;
                    }
                    var reversal = await ledger.ReverseAwardAsync(award.EntryId, "model", t.NewKey());
                    Assert.Equal(model.Reverse(award), (reversal.PointsReversed, reversal.Shortfall, reversal.PointsExpired));
                    break;
                case AdvanceAndExpire(var hours):
                    clock.Advance(TimeSpan.FromHours(hours));
                    var expiredReservations = await ledger.ExpireReservationsAsync();
                    var expiredPoints = await ledger.ExpirePointsAsync();
                    var expected = model.Expire(clock.GetUtcNow());
                    // Jobs cover the whole database, where earlier runs left other patients; this patient's share is checked by the books.
                    Assert.True(expiredReservations >= expected.Reservations && expiredPoints >= expected.Points);
                    break;
            }
            await CheckBooksAsync(t, ledger, model, patient, reward, op);
        }
    }

    private static async Task SpendAsync(PointsLedger ledger, LedgerModel model, RedemptionRequest request, Idempotency.IdempotencyKey key,
        FakeTimeProvider clock, bool twoPhase)
    {
        var cost = Price * request.Quantity;
        var expected = model.PredictSpend(cost, request.Quantity);
        Redemption? done = null;
        await ExpectAsync(expected, async () => done = twoPhase ? await ledger.ReserveAsync(request, key) : await ledger.RedeemAsync(request, key));
        if (done is not null)
            model.Spend(done.Id, cost, request.Quantity, done.ExpiresAt, done.Status);
    }

    private static async Task ExpectAsync(LedgerErrorCode? expected, Func<Task> action)
    {
        var actual = (LedgerErrorCode?)null;
        try
        {
            await action();
        }
        catch (LedgerException e)
        {
            actual = e.Code;
        }
        Assert.Equal(expected, actual);
    }

    private static async Task CheckBooksAsync(TestLedger t, PointsLedger ledger, LedgerModel model, string patient, string reward, Op op)
    {
        var audit = await ledger.AuditAccountAsync(patient);
        Assert.True(audit.IsConsistent, $"after {op}: {audit}");
        Assert.Equal(
            (model.Balance, model.Held(ReservationStatus.Reserved), model.Held(ReservationStatus.Confirmed), model.Expired, model.Reversed),
            (audit.CachedBalance, audit.Reserved, audit.Spent, audit.Expired, audit.Reversed));
        var stock = (await ledger.GetRewardsAsync()).Single(r => r.Id == reward).Stock;
        Assert.Equal(model.Stock, stock);
        Assert.True(stock >= 0);
        await using var db = t.Dbs.CreateDbContext();
        var duplicateKeys = await db.Entries.Where(e => e.IdempotencyKey != null)
            .GroupBy(e => e.IdempotencyKey).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync();
        Assert.Empty(duplicateKeys);
    }
}
