using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Tests.Infrastructure;
using static Benefit.Loyalty.Tests.Infrastructure.Amsterdam;

namespace Benefit.Loyalty.Tests;

/// <summary>Caps count per local day, ISO week and year in Europe/Amsterdam (Capped rules: exercise 60, day 100, week 250).</summary>
public sealed class CapTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task The_daily_cap_resets_at_local_midnight_not_at_utc_midnight(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped, At(2026, 6, 10, 12, 0));

        var evening = await Exercise(t, At(2026, 6, 8, 23, 30));
        var lastSecond = await Exercise(t, At(2026, 6, 8, 23, 59, 59));
        var midnight = await Exercise(t, At(2026, 6, 9, 0, 0));

        Assert.Equal((60, AwardReason.None), (evening.Points, evening.Reason));
        Assert.Equal((40, AwardReason.DailyCapReached), (lastSecond.Points, lastSecond.Reason));
        Assert.Equal(8, At(2026, 6, 9, 0, 0).UtcDateTime.Day);
        Assert.Equal((60, AwardReason.None), (midnight.Points, midnight.Reason));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_23_hour_day_when_summer_time_starts_is_one_capped_day(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped, At(2026, 4, 1, 12, 0));

        var dayBefore = await Exercise(t, At(2026, 3, 28, 23, 59));
        var justAfterMidnight = await Exercise(t, At(2026, 3, 29, 0, 30));
        var lateThatDay = await Exercise(t, At(2026, 3, 29, 23, 30));
        var nextDay = await Exercise(t, At(2026, 3, 30, 0, 0));

        Assert.Equal(TimeSpan.FromHours(22), At(2026, 3, 29, 23, 30) - At(2026, 3, 29, 0, 30));
        Assert.Equal(60, dayBefore.Points);
        Assert.Equal(60, justAfterMidnight.Points);
        Assert.Equal((40, AwardReason.DailyCapReached), (lateThatDay.Points, lateThatDay.Reason));
        Assert.Equal((60, AwardReason.None), (nextDay.Points, nextDay.Reason));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_25_hour_day_when_summer_time_ends_is_one_capped_day(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped, At(2026, 10, 28, 12, 0));

        var early = await Exercise(t, At(2026, 10, 25, 0, 10));
        var late = await Exercise(t, At(2026, 10, 25, 23, 50));
        var secondHalfTwoThirty = await Exercise(t, new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero));
        var nextDay = await Exercise(t, At(2026, 10, 26, 0, 0));

        Assert.Equal(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(40), At(2026, 10, 25, 23, 50) - At(2026, 10, 25, 0, 10));
        Assert.Equal(60, early.Points);
        Assert.Equal((40, AwardReason.DailyCapReached), (late.Points, late.Reason));
        Assert.Equal((AwardOutcome.NoPoints, AwardReason.DailyCapReached), (secondHalfTwoThirty.Outcome, secondHalfTwoThirty.Reason));
        Assert.Equal((60, AwardReason.None), (nextDay.Points, nextDay.Reason));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task The_weekly_cap_resets_at_local_midnight_between_sunday_and_monday(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped, At(2026, 6, 20, 12, 0));
        foreach (var day in new[] { 8, 9, 10, 11 })
            Assert.Equal(60, (await Exercise(t, At(2026, 6, day, 10, 0))).Points);

        var friday = await Exercise(t, At(2026, 6, 12, 10, 0));
        var sundayLate = await Exercise(t, At(2026, 6, 14, 23, 59, 59));
        var mondayMidnight = await Exercise(t, At(2026, 6, 15, 0, 0));

        Assert.Equal((10, AwardReason.WeeklyCapReached), (friday.Points, friday.Reason));
        Assert.Equal((0, AwardReason.WeeklyCapReached), (sundayLate.Points, sundayLate.Reason));
        Assert.Equal((60, AwardReason.None), (mondayMidnight.Points, mondayMidnight.Reason));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task The_yearly_cap_resets_at_local_new_year(LoyaltyDatabase database)
    {
        var rules = new PointsRules
        {
            Versions = [TestRules.Capped.Versions[0] with { YearlyCap = 100, Categories = new() { ["move"] = new(1000, 1000), ["measure"] = new(20, 100) } }],
        };
        await using var t = await TestLedger.CreateAsync(database, rules, At(2027, 1, 2, 12, 0));

        var first = await Exercise(t, At(2026, 12, 31, 22, 0));
        var capped = await Exercise(t, At(2026, 12, 31, 23, 59));
        var newYear = await Exercise(t, At(2027, 1, 1, 0, 0));

        Assert.Equal(60, first.Points);
        Assert.Equal((40, AwardReason.YearlyCapReached), (capped.Points, capped.Reason));
        Assert.Equal(2026, At(2027, 1, 1, 0, 0).UtcDateTime.Year);
        Assert.Equal((60, AwardReason.None), (newYear.Points, newYear.Reason));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_week_across_new_year_counts_its_days_of_both_years(LoyaltyDatabase database)
    {
        // Monday 29 Dec 2025 to Sunday 4 Jan 2026 is one ISO week; its January days are reported first.
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped, At(2026, 1, 5, 12, 0));
        foreach (var day in new[] { 1, 2, 3, 4 })
            Assert.Equal(60, (await Exercise(t, At(2026, 1, day, 10, 0))).Points);

        var december = await Exercise(t, At(2025, 12, 30, 10, 0));

        Assert.Equal((10, AwardReason.WeeklyCapReached), (december.Points, december.Reason));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Caps_are_kept_per_category(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped, At(2026, 6, 10, 12, 0));
        await Exercise(t, At(2026, 6, 10, 8, 0));
        await Exercise(t, At(2026, 6, 10, 9, 0));

        var measurements = new List<AwardResult>();
        foreach (var hour in new[] { 7, 8, 11 })
            measurements.Add(await t.AwardAsync("p1", "bp-self-measurement", At(2026, 6, 10, hour, 0)));

        Assert.Equal([10, 10, 0], measurements.Select(m => m.Points));
        Assert.Equal(AwardReason.DailyCapReached, measurements[2].Reason);
        Assert.Equal(120, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    private static Task<AwardResult> Exercise(TestLedger t, DateTimeOffset at) => t.AwardAsync("p1", "exercise-session", at);
}
