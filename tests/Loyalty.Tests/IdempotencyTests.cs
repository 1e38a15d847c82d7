using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;
using Benefit.Loyalty.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Tests;

public sealed class IdempotencyTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task Replaying_a_redemption_returns_the_original_result_without_spending_again(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1");
        var reward = await t.AddRewardAsync(pointCost: 30, stock: 5);
        var key = t.NewKey();

        var first = await t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward), key);
        var replay = await t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward), key);

        Assert.Equal(first, replay);
        Assert.Equal(70, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task The_same_key_with_a_different_request_is_refused(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1");
        var reward = await t.AddRewardAsync(pointCost: 30, stock: 5);
        var key = t.NewKey();
        await t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward), key);

        var error = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward, 2), key));

        Assert.Equal(LedgerErrorCode.IdempotencyKeyReused, error.Code);
        Assert.Equal(70, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_replay_of_a_refused_request_is_refused_the_same_way(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var reward = await t.AddRewardAsync(pointCost: 30, stock: 5);
        var key = t.NewKey();
        await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward), key));
        await t.AwardAsync("p1");

        var replay = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.RedeemAsync(new RedemptionRequest("p1", reward), key));

        Assert.Equal(LedgerErrorCode.InsufficientPoints, replay.Code);
        Assert.Equal(100, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_key_in_flight_is_refused_until_its_lease_runs_out(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var report = new ActivityReport("p1", "gym", "visit-1", "forty", t.Clock.GetUtcNow());
        var key = t.NewKey();
        await ClaimAsInFlightAsync(t, key, IdempotentWrites.Hash("award", report));

        var inFlight = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.AwardAsync(report, key));
        t.Clock.Advance(t.Options.InFlightLease + TimeSpan.FromSeconds(1));
        var takenOver = await t.Ledger.AwardAsync(report, key);

        Assert.Equal(LedgerErrorCode.RequestInFlight, inFlight.Code);
        Assert.Equal((AwardOutcome.Awarded, 40), (takenOver.Outcome, takenOver.Points));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Keys_are_kept_for_24_hours_and_then_purged(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var report = new ActivityReport("p1", "gym", "visit-1", "forty", t.Clock.GetUtcNow());
        var key = t.NewKey();
        await t.Ledger.AwardAsync(report, key);

        t.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await t.Ledger.PurgeIdempotencyKeysAsync());
        Assert.Equal(AwardOutcome.Awarded, (await t.Ledger.AwardAsync(report, key)).Outcome);
        t.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await t.Ledger.PurgeIdempotencyKeysAsync());

        var afterPurge = await t.Ledger.AwardAsync(report, key);
        Assert.Equal(AwardReason.DuplicateEvent, afterPurge.Reason);
        Assert.Equal(40, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Fact]
    public void Options_refuse_a_key_retention_below_24_hours()
    {
        var options = new LoyaltyOptions { IdempotencyKeyRetention = TimeSpan.FromHours(23) };

        Assert.Contains(options.Validate(), p => p.Contains("Loyalty:IdempotencyKeyRetention"));
    }

    private static async Task ClaimAsInFlightAsync(TestLedger t, IdempotencyKey key, string hash)
    {
        await using var db = t.Dbs.CreateDbContext();
        var now = t.Clock.GetUtcNow().UtcDateTime;
        db.IdempotencyKeys.Add(new IdempotencyRecord
        {
            Scope = key.Scope, Key = key.Key, RequestHash = hash, CreatedAt = now, LeaseUntil = now + t.Options.InFlightLease,
        });
        await db.SaveChangesAsync();
    }
}
