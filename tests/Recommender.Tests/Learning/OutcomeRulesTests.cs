using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Learning;
using Benefit.Recommender.Tests.Serving;

namespace Benefit.Recommender.Tests.Learning;

/// <summary>One outcome per exposure, from the stored events, never from the future.</summary>
public sealed class OutcomeRulesTests
{
    private static readonly InterventionCatalog Catalog = InterventionCatalog.Load(TestData.InterventionsPath);
    private static readonly DateTimeOffset Shown = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    // pa-walking-group: 16 weeks × 2 sessions = 32 planned, so 16 attended keep it up.
    private const string Walking = "pa-walking-group";

    private static LoggedExposure Exposure(DateTimeOffset at, string item = Walking, string list = "list-1") =>
        new(list, "p1", item, at, 1, 1, false, "v1", ServingTestData.Patient("p1"));

    private static ExposureOutcome Single(DateTimeOffset asOf, IEnumerable<LoggedChoice>? choices = null, IEnumerable<LoggedSession>? sessions = null,
        IEnumerable<LoggedExposure>? exposures = null) =>
        Assert.Single(OutcomeRules.Derive(exposures ?? [Exposure(Shown)], choices ?? [], sessions ?? [], Catalog, asOf));

    private static IEnumerable<LoggedSession> Sessions(int count, DateTimeOffset from, double everyDays = 3.5) =>
        Enumerable.Range(0, count).Select(n => new LoggedSession("p1", Walking, from.AddDays(n * everyDays)));

    [Fact]
    public void Not_for_me_within_the_window_is_declined_at_once()
    {
        var o = Single(Shown.AddDays(2), [new LoggedChoice("p1", Walking, "not-for-me", Shown.AddHours(1))]);
        Assert.Equal((Outcome.Declined, true), (o.Outcome, o.Decided));
        Assert.False(o.KeptUp);
    }

    [Fact]
    public void Not_now_is_postponed()
    {
        Assert.Equal(Outcome.Postponed, Single(Shown.AddDays(2), [new LoggedChoice("p1", Walking, "not-now", Shown.AddDays(1))]).Outcome);
    }

    [Fact]
    public void Silence_is_ignored_only_once_the_window_has_passed()
    {
        Assert.False(Single(Shown.AddDays(13)).Decided);
        var o = Single(Shown.AddDays(15));
        Assert.Equal((Outcome.Ignored, true), (o.Outcome, o.Decided));
    }

    [Fact]
    public void Half_of_the_planned_sessions_keeps_it_up_as_soon_as_it_happens()
    {
        var enrol = new LoggedChoice("p1", Walking, "enrol", Shown.AddHours(2));
        var o = Single(Shown.AddDays(60), [enrol], Sessions(16, Shown.AddDays(1)));
        Assert.Equal((Outcome.KeptUp, 16, 32, false), (o.Outcome, o.SessionsAttended, o.PlannedSessions, o.Provisional));
    }

    [Fact]
    public void Fewer_than_half_by_the_end_of_the_planned_weeks_is_dropped()
    {
        var enrol = new LoggedChoice("p1", Walking, "enrol", Shown.AddHours(2));
        var o = Single(Shown.AddDays(7 * 16 + 1), [enrol], Sessions(5, Shown.AddDays(1)));
        Assert.Equal((Outcome.Dropped, false), (o.Outcome, o.Provisional));
    }

    [Fact]
    public void An_enrolment_under_way_is_judged_by_its_pace_after_two_weeks_and_not_before()
    {
        var enrol = new LoggedChoice("p1", Walking, "enrol", Shown.AddHours(2));
        Assert.Equal((Outcome.Enrolled, false), (Single(Shown.AddDays(10), [enrol], Sessions(3, Shown.AddDays(1))) is var early ? (early.Outcome, early.Decided) : default));

        var onPace = Single(Shown.AddDays(28), [enrol], Sessions(7, Shown.AddDays(1)));
        Assert.Equal((Outcome.KeptUp, true, true), (onPace.Outcome, onPace.Decided, onPace.Provisional));
        var behind = Single(Shown.AddDays(28), [enrol], Sessions(1, Shown.AddDays(1)));
        Assert.Equal((Outcome.Dropped, true, true), (behind.Outcome, behind.Decided, behind.Provisional));
    }

    [Fact]
    public void A_session_without_an_enrol_click_counts_as_enrolling()
    {
        var o = Single(Shown.AddDays(70), sessions: Sessions(16, Shown.AddDays(3)));
        Assert.Equal(Outcome.KeptUp, o.Outcome);
    }

    [Fact]
    public void Events_after_the_cutoff_are_not_seen()
    {
        var decline = new LoggedChoice("p1", Walking, "not-for-me", Shown.AddDays(3));
        Assert.False(Single(Shown.AddDays(2), [decline]).Decided);
        Assert.Empty(OutcomeRules.Derive([Exposure(Shown)], [], [], Catalog, Shown.AddMinutes(-1)));
    }

    [Fact]
    public void The_same_item_shown_again_within_the_window_is_one_exposure_and_after_it_a_new_one()
    {
        var outcomes = OutcomeRules.Derive([Exposure(Shown), Exposure(Shown.AddDays(3), list: "list-2"), Exposure(Shown.AddDays(20), list: "list-3")],
            [], [], Catalog, Shown.AddDays(40));
        Assert.Equal(["list-1", "list-3"], outcomes.Select(o => o.Exposure.ListId));
        Assert.All(outcomes, o => Assert.Equal(Outcome.Ignored, o.Outcome));
    }

    [Fact]
    public void Live_examples_carry_the_served_context_the_propensity_and_only_decided_rows()
    {
        var outcomes = OutcomeRules.Derive([Exposure(Shown), Exposure(Shown, "nu-dietician-group") with { Propensity = 0.05 }],
            [new LoggedChoice("p1", Walking, "not-for-me", Shown.AddHours(1))], [], Catalog, Shown.AddDays(3));
        var row = Assert.Single(LiveExamples.From(outcomes));
        Assert.Equal((Walking, false, "list-1", "low"), (row.InterventionId, row.Label, row.ListId, row.Group.SocioEconomicBand));
        Assert.NotNull(row.ServedContext);
    }
}
