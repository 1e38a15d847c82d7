namespace Benefit.Loyalty.Activities;

/// <summary>The rule version in force on an activity's local date and its type's rule there: what prices it.</summary>
internal sealed record AwardTerms(PointsRuleVersion Version, ActivityRule Rule)
{
    /// <summary>The day and week caps of the rule's category.</summary>
    public CategoryRule Caps => Version.Categories[Rule.Category];
}
