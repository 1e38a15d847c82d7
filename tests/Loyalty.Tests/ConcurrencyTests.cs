using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;
using Benefit.Loyalty.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Tests;

public sealed class ConcurrencyTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task Fifty_parallel_redemptions_of_ten_from_a_hundred_succeed_exactly_ten_times_every_round(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var reward = await t.AddRewardAsync(pointCost: 10, stock: 100_000);

        for (var round = 0; round < 50; round++)
        {
            var patient = $"round-{round}";
            await t.AwardAsync(patient, "hundred");

            var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await t.Ledger.RedeemAsync(new RedemptionRequest(patient, reward), t.NewKey());
                    return (LedgerErrorCode?)null;
                }
                catch (LedgerException e)
                {
                    return e.Code;
                }
            })));

            Assert.Equal(10, attempts.Count(a => a is null));
            Assert.All(attempts.Where(a => a is not null), a => Assert.True(a is LedgerErrorCode.InsufficientPoints or LedgerErrorCode.OutOfStock, $"round {round}: {a}"));
            var audit = await t.Ledger.AuditAccountAsync(patient);
            Assert.Equal(0, audit.CachedBalance);
            Assert.True(audit.IsConsistent, $"round {round}: {audit}");
        }
        Assert.Equal(100_000 - 500, (await t.Ledger.GetRewardsAsync()).Single(r => r.Id == reward).Stock);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Parallel_redemptions_never_take_more_units_than_are_in_stock(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var reward = await t.AddRewardAsync(pointCost: 10, stock: 7);
        var patients = Enumerable.Range(0, 20).Select(i => $"stock-{i}").ToList();
        foreach (var p in patients) await t.AwardAsync(p, "hundred");

        var attempts = await Task.WhenAll(patients.SelectMany(p => new[] { p, p }).Select(p => Task.Run(async () =>
        {
            try
            {
                await t.Ledger.ReserveAsync(new RedemptionRequest(p, reward), t.NewKey());
                return (LedgerErrorCode?)null;
            }
            catch (LedgerException e)
            {
                return e.Code;
            }
        })));

        Assert.Equal(7, attempts.Count(a => a is null));
        Assert.All(attempts.Where(a => a is not null), a => Assert.Equal(LedgerErrorCode.OutOfStock, a));
        Assert.Equal(0, (await t.Ledger.GetRewardsAsync()).Single(r => r.Id == reward).Stock);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Twenty_concurrent_replays_of_one_award_write_one_entry(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var report = new ActivityReport("p1", "gym", "visit-1", "forty", t.Clock.GetUtcNow());
        var key = t.NewKey();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (await t.Ledger.AwardAsync(report, key)).EntryId;
            }
            catch (LedgerException e) when (e.Code == LedgerErrorCode.RequestInFlight)
            {
                return null;
            }
        })));
        var replay = await t.Ledger.AwardAsync(report, key);

        await using var db = t.Dbs.CreateDbContext();
        var entry = await db.Entries.SingleAsync(e => e.PatientId == "p1");
        Assert.Equal(40, entry.Points);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(entry.Id, o));
        Assert.Equal(entry.Id, replay.EntryId);
        Assert.Equal(40, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Twenty_concurrent_reports_of_one_event_under_different_keys_award_once(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var report = new ActivityReport("p1", "gym", "visit-1", "forty", t.Clock.GetUtcNow());

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => t.Ledger.AwardAsync(report, t.NewKey()))));

        Assert.Single(results, r => r.Outcome == AwardOutcome.Awarded);
        Assert.All(results.Where(r => r.Outcome != AwardOutcome.Awarded), r => Assert.Equal(AwardReason.DuplicateEvent, r.Reason));
        Assert.Equal(40, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Concurrent_awards_are_written_in_groups_and_capped_as_if_one_at_a_time(LoyaltyDatabase database)
    {
        // Capped rules: an exercise session pays 60, 100 a day and 250 a week. Four sessions a day on three days of one
        // week (Tue-Thu before Monday 1 June) earn 100 + 100 + 50 = 250 per patient, whatever the order.
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped);
        var patients = Enumerable.Range(1, 6).Select(n => $"p{n}").ToList();
        var reports = (from patient in patients
                       from day in new[] { 6, 5, 4 }
                       from session in Enumerable.Range(0, 4)
                       select new ActivityReport(patient, "gym", $"{patient}-{day}-{session}", "exercise-session",
                           t.Clock.GetUtcNow().AddDays(-day).AddMinutes(session))).ToList();

        var results = await Task.WhenAll(reports.Select(r => Task.Run(() => t.Ledger.AwardAsync(r, t.NewKey()))));

        var (written, failed) = t.Ledger.AwardGroups;
        Assert.Equal(0, failed);
        Assert.InRange(written, 1, reports.Count - 1); // grouped, not one commit per award
        foreach (var patient in patients)
        {
            var earned = reports.Zip(results).Where(x => x.First.PatientId == patient).ToList();
            Assert.Equal(250, earned.Sum(x => x.Second.Points));
            Assert.All(earned.GroupBy(x => x.First.OccurredAt.Date), day => Assert.InRange(day.Sum(x => x.Second.Points), 50, 100));
            Assert.Equal(250, (await t.Ledger.GetStatementAsync(patient)).Balance);
            Assert.True((await t.Ledger.AuditAccountAsync(patient)).IsConsistent);
        }
        Assert.All(results.Where(r => r.Points == 0), r => Assert.Contains(r.Reason, new[] { AwardReason.DailyCapReached, AwardReason.WeeklyCapReached }));
    }
}
