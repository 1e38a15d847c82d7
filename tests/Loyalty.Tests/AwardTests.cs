using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Tests.Infrastructure;
using static Benefit.Loyalty.Tests.Infrastructure.Amsterdam;

namespace Benefit.Loyalty.Tests;

public sealed class AwardTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task An_award_records_the_activity_event_and_the_rule_version_that_priced_it(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped, At(2027, 1, 5, 12, 0));
        var occurred = At(2027, 1, 4, 9, 15);

        var result = await t.Ledger.AwardAsync(new ActivityReport("p1", "gym-north", "visit-77", "exercise-session", occurred), t.NewKey());
        var older = await t.AwardAsync("p1", "exercise-session", At(2026, 12, 31, 9, 0));

        Assert.Equal((AwardOutcome.Awarded, 80, "capped-2"), (result.Outcome, result.Points, result.RuleVersion));
        Assert.Equal((60, "capped-1"), (older.Points, older.RuleVersion));
        var entry = (await t.Ledger.GetHistoryAsync("p1")).Items.Single(e => e.Id == result.EntryId);
        Assert.Equal(("gym-north", "visit-77", "exercise-session", "capped-2"), (entry.Provider, entry.ExternalEventId, entry.ActivityType, entry.RuleVersion));
        Assert.Equal(occurred, entry.OccurredAt);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task An_unknown_activity_type_earns_nothing_with_a_reason(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped);

        var result = await t.AwardAsync("p1", "knitting");

        Assert.Equal((AwardOutcome.NoPoints, 0, AwardReason.UnknownActivityType), (result.Outcome, result.Points, result.Reason));
        Assert.Equal(0, (await t.Ledger.GetHistoryAsync("p1")).Total);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Activity_older_than_30_days_or_in_the_future_earns_nothing(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped);
        var now = t.Clock.GetUtcNow();

        var tooOld = await t.AwardAsync("p1", "exercise-session", now.AddDays(-30).AddMinutes(-1));
        var justInTime = await t.AwardAsync("p1", "exercise-session", now.AddDays(-29));
        var future = await t.AwardAsync("p1", "exercise-session", now.AddMinutes(11));
        var smallClockSkew = await t.AwardAsync("p1", "bp-self-measurement", now.AddMinutes(9));

        Assert.Equal((AwardOutcome.NoPoints, AwardReason.OutsideTimeWindow), (tooOld.Outcome, tooOld.Reason));
        Assert.Equal(AwardOutcome.Awarded, justInTime.Outcome);
        Assert.Equal((AwardOutcome.NoPoints, AwardReason.OutsideTimeWindow), (future.Outcome, future.Reason));
        Assert.Equal(AwardOutcome.Awarded, smallClockSkew.Outcome);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Self_reported_activity_is_pending_until_a_provider_verifies_it(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped);
        var report = new ActivityReport("p1", "walking-club", "walk-9", "exercise-session", t.Clock.GetUtcNow(), ActivitySource.SelfReported);

        var pending = await t.Ledger.AwardAsync(report, t.NewKey());
        var before = await t.Ledger.GetStatementAsync("p1");
        var verified = await t.Ledger.VerifyActivityAsync("walking-club", "walk-9");
        var verifiedAgain = await t.Ledger.VerifyActivityAsync("walking-club", "walk-9");

        Assert.Equal((AwardOutcome.Pending, 0, AwardReason.PendingVerification), (pending.Outcome, pending.Points, pending.Reason));
        Assert.Equal((0, 60), (before.Balance, before.Pending));
        Assert.Equal((AwardOutcome.Awarded, 60), (verified.Outcome, verified.Points));
        Assert.Equal((verified.EntryId, 60), (verifiedAgain.EntryId, verifiedAgain.Points));
        var after = await t.Ledger.GetStatementAsync("p1");
        Assert.Equal((60, 0), (after.Balance, after.Pending));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_verified_report_of_a_pending_self_report_verifies_it_once(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped);
        var report = new ActivityReport("p1", "gym", "visit-3", "exercise-session", t.Clock.GetUtcNow(), ActivitySource.SelfReported);
        await t.Ledger.AwardAsync(report, t.NewKey());

        var verified = await t.Ledger.AwardAsync(report with { Source = ActivitySource.VerifiedProvider }, t.NewKey());
        var again = await t.Ledger.AwardAsync(report with { Source = ActivitySource.VerifiedProvider }, t.NewKey());

        Assert.Equal((AwardOutcome.Awarded, 60), (verified.Outcome, verified.Points));
        Assert.Equal(AwardReason.DuplicateEvent, again.Reason);
        Assert.Equal(60, (await t.Ledger.GetStatementAsync("p1")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Verifying_an_unknown_activity_is_refused(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped);

        var error = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.VerifyActivityAsync("gym", "nope"));

        Assert.Equal(LedgerErrorCode.ActivityNotFound, error.Code);
    }

    [Fact]
    public async Task The_shipped_rules_price_all_ten_activity_types_of_the_programme()
    {
        var rules = PointsRules.Load(TestLedger.DataFile("points-rules.json"));
        string[] types =
        [
            "exercise-session", "coaching-session-attended", "course-module-completed", "course-completed", "bp-self-measurement",
            "daily-steps-goal", "smoke-free-week-verified", "dietician-group-session", "walking-event", "family-member-along",
        ];
        await using var t = await TestLedger.CreateAsync(LoyaltyDatabase.Sqlite, rules);

        var results = new List<AwardResult>();
        // One a day, since some types share a category's daily cap.
        foreach (var (type, day) in types.Select((type, day) => (type, day)))
            results.Add(await t.AwardAsync("p1", type, t.Clock.GetUtcNow().AddDays(-day)));

        Assert.All(results, r => Assert.True(r.Points > 0, $"{r.Message}"));
        Assert.Equal(types.Order(), rules.Versions[^1].Activities.Keys.Order());
    }

    [Fact]
    public void Rules_with_an_activity_in_an_unknown_category_are_refused()
    {
        const string json = """
            { "versions": [ { "version": "x", "effectiveFrom": "2026-01-01", "yearlyCap": 10,
              "categories": { "a": { "dailyCap": 5, "weeklyCap": 10 } },
              "activities": { "walk": { "category": "b", "points": 5, "description": "" } } } ] }
            """;

        var error = Assert.Throws<InvalidDataException>(() => PointsRules.Parse(json));

        Assert.Contains("unknown category 'b'", error.Message);
    }
}
