namespace Benefit.Loyalty.Activities;

/// <summary>
/// What <see cref="AwardPricing"/> decided for one activity: the outcome, the points it earns now (and before caps), the
/// reason and the answer's words, and the terms it was priced under (none when refused before a rule applied).
/// </summary>
internal sealed record AwardDecision(AwardOutcome Outcome, int Points, int BasePoints, AwardReason Reason, string Message, AwardTerms? Terms)
{
    /// <summary>Whether the activity earns points now (an award entry and its lot).</summary>
    public bool Credits => Outcome == AwardOutcome.Awarded;

    /// <summary>Records the decision on the activity row: status, points (for a pending report, what it would earn), reason, and its category and version when priced.</summary>
    public void ApplyTo(ActivityEvent activity)
    {
        activity.Status = Outcome switch
        {
            AwardOutcome.Awarded => ActivityStatus.Awarded,
            AwardOutcome.Pending => ActivityStatus.Pending,
            _ => ActivityStatus.NoPoints,
        };
        activity.Points = Outcome == AwardOutcome.Pending ? BasePoints : Points;
        activity.Reason = Reason;
        if (Terms is null) return;
        activity.Category = Terms.Rule.Category;
        activity.RuleVersion = Terms.Version.Version;
    }

    /// <summary>The answer, once the activity (and the credit's entry, if any) has its id.</summary>
    public AwardResult ResultFor(ActivityEvent activity, long? entryId) =>
        new(activity.Id, Outcome, Points, BasePoints, Reason, activity.RuleVersion, entryId, Message);
}
