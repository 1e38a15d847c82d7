using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;
using Benefit.Loyalty.Tests.Infrastructure;

namespace Benefit.Loyalty.Tests;

public sealed class RedemptionTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task Redeem_is_rejected_when_balance_is_too_low(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1", "forty");
        var reward = await t.AddRewardAsync(pointCost: 50, stock: 5);

        var error = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward), t.NewKey()));

        Assert.Equal(LedgerErrorCode.InsufficientPoints, error.Code);
        Assert.Equal(40, (await t.Ledger.GetStatementAsync("p1")).Balance);
        Assert.Equal(5, (await t.Ledger.GetRewardsAsync()).Single(r => r.Id == reward).Stock);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Redeem_is_rejected_when_stock_is_too_low_or_reward_unknown(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1");
        var reward = await t.AddRewardAsync(pointCost: 10, stock: 1);

        var outOfStock = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward, 2), t.NewKey()));
        var unknown = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.RedeemAsync(new RedemptionRequest("p1", "nope"), t.NewKey()));

        Assert.Equal(LedgerErrorCode.OutOfStock, outOfStock.Code);
        Assert.Equal(LedgerErrorCode.UnknownReward, unknown.Code);
        Assert.Equal(100, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Reserve_then_confirm_spends_the_points_and_the_stock(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1");
        var reward = await t.AddRewardAsync(pointCost: 30, stock: 3);

        var reserved = await t.Ledger.ReserveAsync(new RedemptionRequest("p1", reward, 2), t.NewKey());
        var held = await t.Ledger.GetStatementAsync("p1");
        var confirmed = await t.Ledger.ConfirmAsync("p1", reserved.Id);
        var again = await t.Ledger.ConfirmAsync("p1", reserved.Id);

        Assert.Equal((ReservationStatus.Reserved, 60), (reserved.Status, reserved.Points));
        Assert.Equal((40, 60), (held.Balance, held.Reserved));
        Assert.Equal(ReservationStatus.Confirmed, confirmed.Status);
        Assert.Equal(ReservationStatus.Confirmed, again.Status);
        Assert.Equal(1, (await t.Ledger.GetRewardsAsync()).Single(r => r.Id == reward).Stock);
        var cancel = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.CancelAsync("p1", reserved.Id));
        Assert.Equal(LedgerErrorCode.ReservationNotActive, cancel.Code);
        Assert.True((await t.Ledger.AuditAccountAsync("p1")).IsConsistent);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Cancelling_a_reservation_returns_points_and_stock(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1");
        var reward = await t.AddRewardAsync(pointCost: 30, stock: 3);

        var reserved = await t.Ledger.ReserveAsync(new RedemptionRequest("p1", reward), t.NewKey());
        var cancelled = await t.Ledger.CancelAsync("p1", reserved.Id);

        Assert.Equal(ReservationStatus.Cancelled, cancelled.Status);
        Assert.Equal(100, (await t.Ledger.GetStatementAsync("p1")).Balance);
        Assert.Equal(3, (await t.Ledger.GetRewardsAsync()).Single(r => r.Id == reward).Stock);
        var confirm = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.ConfirmAsync("p1", reserved.Id));
        Assert.Equal(LedgerErrorCode.ReservationNotActive, confirm.Code);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task An_unconfirmed_reservation_expires_and_returns_points_and_stock(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1");
        var reward = await t.AddRewardAsync(pointCost: 30, stock: 3);
        var reserved = await t.Ledger.ReserveAsync(new RedemptionRequest("p1", reward), t.NewKey());

        t.Clock.Advance(t.Options.ReservationTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await t.Ledger.ExpireReservationsAsync());
        t.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await t.Ledger.ExpireReservationsAsync());

        Assert.Equal(100, (await t.Ledger.GetStatementAsync("p1")).Balance);
        Assert.Equal(3, (await t.Ledger.GetRewardsAsync()).Single(r => r.Id == reward).Stock);
        Assert.Equal(ReservationStatus.Expired, (await t.Ledger.GetRedemptionAsync("p1", reserved.Id))!.Status);
        var confirm = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.ConfirmAsync("p1", reserved.Id));
        Assert.Equal(LedgerErrorCode.ReservationNotActive, confirm.Code);
        Assert.True((await t.Ledger.AuditAccountAsync("p1")).IsConsistent);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_patient_cannot_touch_another_patients_reservation(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1");
        var reward = await t.AddRewardAsync(pointCost: 30, stock: 3);
        var reserved = await t.Ledger.ReserveAsync(new RedemptionRequest("p1", reward), t.NewKey());

        var error = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.ConfirmAsync("p2", reserved.Id));

        Assert.Equal(LedgerErrorCode.ReservationNotFound, error.Code);
    }
}
