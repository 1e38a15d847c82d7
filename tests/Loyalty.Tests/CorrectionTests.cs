using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;
using Benefit.Loyalty.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Tests;

/// <summary>Reversals, adjustments and expiry.</summary>
public sealed class CorrectionTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task Reversing_an_unspent_award_takes_all_its_points_back(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var award = await t.AwardAsync("p1", "forty");

        var reversal = await t.Ledger.ReverseAwardAsync(award.EntryId!.Value, "duplicate gym visit", t.NewKey());

        Assert.Equal((40, 0), (reversal.PointsReversed, reversal.Shortfall));
        Assert.Equal(0, (await t.Ledger.GetStatementAsync("p1")).Balance);
        Assert.True((await t.Ledger.AuditAccountAsync("p1")).IsConsistent);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Reversing_an_award_that_was_spent_never_makes_the_balance_negative_and_records_the_shortfall(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var award = await t.AwardAsync("p1", "hundred");
        var reward = await t.AddRewardAsync(pointCost: 40, stock: 5);
        await t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward), t.NewKey());
        await t.Ledger.ReserveAsync(new RedemptionRequest("p1", reward), t.NewKey());

        var reversal = await t.Ledger.ReverseAwardAsync(award.EntryId!.Value, "fraudulent report", t.NewKey());
        var again = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.ReverseAwardAsync(award.EntryId!.Value, "fraudulent report", t.NewKey()));

        Assert.Equal((20, 80), (reversal.PointsReversed, reversal.Shortfall));
        Assert.Equal(LedgerErrorCode.AlreadyReversed, again.Code);
        var audit = await t.Ledger.AuditAccountAsync("p1");
        Assert.Equal((0, 40, 40, 20), (audit.CachedBalance, audit.Spent, audit.Reserved, audit.Reversed));
        Assert.True(audit.IsConsistent);
        var entry = (await t.Ledger.GetHistoryAsync("p1")).Items[0];
        Assert.Equal((80, "fraudulent report"), (entry.Shortfall, entry.Reason));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Reversal_takes_the_awards_own_points_before_older_ones(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1", "hundred");
        t.Clock.Advance(TimeSpan.FromDays(1));
        var second = await t.AwardAsync("p1", "forty");

        await t.Ledger.ReverseAwardAsync(second.EntryId!.Value, "mistake", t.NewKey());

        await using var db = t.Dbs.CreateDbContext();
        var lots = await db.Lots.Where(l => l.PatientId == "p1").OrderBy(l => l.Id).Select(l => l.Remaining).ToListAsync();
        Assert.Equal([100, 0], lots);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Reversing_an_unknown_award_is_refused(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);

        var error = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.ReverseAwardAsync(12345, "why", t.NewKey()));

        Assert.Equal(LedgerErrorCode.AwardNotFound, error.Code);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Points_expire_after_twelve_months_oldest_first(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var start = t.Clock.GetUtcNow();
        await t.AwardAsync("p1", "hundred");
        t.Clock.Advance(TimeSpan.FromDays(180));
        await t.AwardAsync("p1", "forty");
        var reward = await t.AddRewardAsync(pointCost: 30, stock: 5);
        await t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward), t.NewKey());

        t.Clock.SetUtcNow(start.AddMonths(12).AddDays(-20));
        var soon = await t.Ledger.GetStatementAsync("p1");
        Assert.Equal(0, await t.Ledger.ExpirePointsAsync());
        t.Clock.SetUtcNow(start.AddMonths(12));
        var expired = await t.Ledger.ExpirePointsAsync();
        var again = await t.Ledger.ExpirePointsAsync();

        Assert.Equal((110, 70), (soon.Balance, soon.ExpiringSoon));
        Assert.Equal((70, 0), (expired, again));
        var audit = await t.Ledger.AuditAccountAsync("p1");
        Assert.Equal((40, 70), (audit.CachedBalance, audit.Expired));
        Assert.True(audit.IsConsistent);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Points_returned_by_a_late_cancellation_expire_with_their_lot(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, options: o => o.ReservationTimeout = TimeSpan.FromDays(400));
        await t.AwardAsync("p1", "hundred");
        var reward = await t.AddRewardAsync(pointCost: 100, stock: 1);
        var reservation = await t.Ledger.ReserveAsync(new RedemptionRequest("p1", reward), t.NewKey());
        t.Clock.Advance(TimeSpan.FromDays(370));
        Assert.Equal(0, await t.Ledger.ExpirePointsAsync());

        await t.Ledger.CancelAsync("p1", reservation.Id);
        var expired = await t.Ledger.ExpirePointsAsync();

        Assert.Equal(100, expired);
        Assert.Equal(0, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Reversing_an_expired_award_takes_nothing_and_is_not_a_shortfall(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var award = await t.AwardAsync("p1", "forty");
        t.Clock.Advance(TimeSpan.FromDays(366));
        await t.Ledger.ExpirePointsAsync();
        await t.AwardAsync("p1", "hundred");

        var reversal = await t.Ledger.ReverseAwardAsync(award.EntryId!.Value, "late fraud finding", t.NewKey());

        Assert.Equal((0, 0, 40), (reversal.PointsReversed, reversal.Shortfall, reversal.PointsExpired));
        Assert.Equal(100, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_negative_adjustment_cannot_exceed_the_balance(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.Ledger.AdjustAsync("p1", 50, "goodwill after an outage", t.NewKey());

        var error = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.AdjustAsync("p1", -51, "correction", t.NewKey()));
        await t.Ledger.AdjustAsync("p1", -50, "correction", t.NewKey());

        Assert.Equal(LedgerErrorCode.InsufficientPoints, error.Code);
        var audit = await t.Ledger.AuditAccountAsync("p1");
        Assert.Equal((0, 50, 50), (audit.CachedBalance, audit.Issued, audit.AdjustedOut));
        Assert.True(audit.IsConsistent);
    }
}
