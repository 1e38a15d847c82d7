using Benefit.Loyalty.Activities;

namespace Benefit.Loyalty.Tests.Infrastructure;

public static class TestRules
{
    /// <summary>Caps far out of reach, so tests about the ledger are not about caps.</summary>
    public static PointsRules Generous { get; } = new()
    {
        Versions =
        [
            new PointsRuleVersion
            {
                Version = "generous-1", EffectiveFrom = new DateOnly(2020, 1, 1), YearlyCap = 10_000_000,
                Categories = new() { ["any"] = new CategoryRule(10_000_000, 10_000_000) },
                Activities = new()
                {
                    ["ten"] = new ActivityRule("any", 10, "10 points"),
                    ["twenty-five"] = new ActivityRule("any", 25, "25 points"),
                    ["forty"] = new ActivityRule("any", 40, "40 points"),
                    ["hundred"] = new ActivityRule("any", 100, "100 points"),
                },
            },
        ],
    };

    /// <summary>Small caps that are easy to reason about: exercise 60 (day 100, week 250), measurement 10 (day 20), year 1,000.</summary>
    public static PointsRules Capped { get; } = new()
    {
        Versions =
        [
            new PointsRuleVersion
            {
                Version = "capped-1", EffectiveFrom = new DateOnly(2020, 1, 1), YearlyCap = 1_000,
                Categories = new()
                {
                    ["move"] = new CategoryRule(100, 250),
                    ["measure"] = new CategoryRule(20, 100),
                },
                Activities = new()
                {
                    ["exercise-session"] = new ActivityRule("move", 60, "exercise"),
                    ["bp-self-measurement"] = new ActivityRule("measure", 10, "blood pressure"),
                },
            },
            new PointsRuleVersion
            {
                Version = "capped-2", EffectiveFrom = new DateOnly(2027, 1, 1), YearlyCap = 1_000,
                Categories = new() { ["move"] = new CategoryRule(100, 250) },
                Activities = new() { ["exercise-session"] = new ActivityRule("move", 80, "exercise, higher from 2027") },
            },
        ],
    };
}
