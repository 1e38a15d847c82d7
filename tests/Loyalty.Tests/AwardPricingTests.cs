using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Tests.Infrastructure;

namespace Benefit.Loyalty.Tests;

/// <summary>The pricing both award paths share, without a database (Capped rules: exercise 60, day 100, week 250, year 1,000).</summary>
public sealed class AwardPricingTests
{
    private static readonly AwardPricing Pricing = new(TestRules.Capped, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam"));
    private static readonly DateTime Now = new(2026, 6, 10, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(0, 0, 0, 60, AwardReason.None)]
    [InlineData(60, 60, 60, 40, AwardReason.DailyCapReached)]
    [InlineData(0, 220, 220, 30, AwardReason.WeeklyCapReached)]
    [InlineData(0, 0, 990, 10, AwardReason.YearlyCapReached)]
    [InlineData(90, 245, 0, 5, AwardReason.WeeklyCapReached)]
    public void A_verified_report_earns_the_rule_cut_by_the_cap_that_leaves_least(int day, int week, int year, int points, AwardReason reason)
    {
        var (activity, terms) = Screened("exercise-session", ActivitySource.VerifiedProvider);

        var decision = AwardPricing.Decide(activity, terms, ActivitySource.VerifiedProvider, new CapUsage(day, week, year));

        Assert.Equal((AwardOutcome.Awarded, points, 60, reason), (decision.Outcome, decision.Points, decision.BasePoints, decision.Reason));
    }

    [Fact]
    public void A_used_up_cap_earns_nothing_and_says_which()
    {
        var (activity, terms) = Screened("exercise-session", ActivitySource.VerifiedProvider);

        var decision = AwardPricing.Decide(activity, terms, ActivitySource.VerifiedProvider, new CapUsage(100, 100, 100));
        decision.ApplyTo(activity);

        Assert.Equal((AwardOutcome.NoPoints, 0, AwardReason.DailyCapReached), (decision.Outcome, decision.Points, decision.Reason));
        Assert.Equal((ActivityStatus.NoPoints, "move", "capped-1"), (activity.Status, activity.Category, activity.RuleVersion));
        Assert.Equal("The daily cap for move is used up.", decision.Message);
    }

    [Fact]
    public void A_self_report_is_pending_with_the_points_it_would_earn_whatever_the_usage()
    {
        var (activity, terms) = Screened("exercise-session", ActivitySource.SelfReported);

        var decision = AwardPricing.Decide(activity, terms, ActivitySource.SelfReported, new CapUsage(100, 250, 1000));
        decision.ApplyTo(activity);

        Assert.Equal((AwardOutcome.Pending, 0, 60, AwardReason.PendingVerification), (decision.Outcome, decision.Points, decision.BasePoints, decision.Reason));
        Assert.Equal((ActivityStatus.Pending, 60), (activity.Status, activity.Points));
    }

    [Fact]
    public void A_report_outside_the_time_window_or_of_an_unknown_type_is_refused_before_any_rule()
    {
        var old = Pricing.NewActivity(Report("exercise-session", Now.AddDays(-31), ActivitySource.VerifiedProvider), Now);
        var unknown = Pricing.NewActivity(Report("juggling", Now.AddHours(-1), ActivitySource.VerifiedProvider), Now);

        Assert.Equal((null, AwardReason.OutsideTimeWindow), Reason(Pricing.Screen(old)));
        Assert.Equal((null, AwardReason.UnknownActivityType), Reason(Pricing.Screen(unknown)));
    }

    [Fact]
    public void The_local_week_starts_on_monday_in_amsterdam()
    {
        var sundayNightUtc = new DateTime(2026, 6, 14, 22, 30, 0, DateTimeKind.Utc); // Monday 00:30 in Amsterdam

        var activity = Pricing.NewActivity(Report("exercise-session", sundayNightUtc, ActivitySource.VerifiedProvider), Now);

        Assert.Equal((new DateOnly(2026, 6, 15), new DateOnly(2026, 6, 15), 2026), (activity.LocalDate, activity.LocalWeekStart, activity.LocalYear));
    }

    private static (AwardTerms?, AwardReason?) Reason((AwardTerms? Terms, AwardDecision? Refusal) screened) => (screened.Terms, screened.Refusal?.Reason);

    private static (ActivityEvent, AwardTerms) Screened(string type, ActivitySource source)
    {
        var activity = Pricing.NewActivity(Report(type, Now.AddHours(-2), source), Now);
        var (terms, refusal) = Pricing.Screen(activity);
        Assert.Null(refusal);
        return (activity, terms!);
    }

    private static ActivityReport Report(string type, DateTime at, ActivitySource source) =>
        new("p1", "gym", Guid.NewGuid().ToString(), type, new DateTimeOffset(at), source);
}
