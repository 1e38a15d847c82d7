using Benefit.Recommender.Evaluation;

namespace Benefit.Recommender.Training;

/// <summary>The comparison a data scientist reads: challenger against champion on the same holdout.</summary>
public sealed record PromotionDecision(bool Promote, string Reason, double ChampionNdcg5, double ChallengerNdcg5,
    double ChampionSesGap, double ChallengerSesGap, IReadOnlyList<SubgroupChange> Subgroups)
{
    /// <summary>Which comparisons the decision rested on: nDCG@5 and subgroups, and the off-policy value when there was enough evidence for it.</summary>
    public string DecidedBy { get; init; } = "";
    public double? ChampionOffPolicyValue { get; init; }
    public double? ChallengerOffPolicyValue { get; init; }
}

public sealed record SubgroupChange(string Dimension, string Group, double Champion, double Challenger)
{
    public double Change => Challenger - Champion;
}

/// <summary>
/// Promote only when nDCG@5 is not worse than the champion's by more than the tolerance, the largest gap between
/// socio-economic groups does not grow (beyond the tolerance), and no subgroup drops by more than the tolerance.
/// A model that helps the well-off and hurts the rest is not promoted. On the service's own logs, when both estimates rest on
/// enough evidence, the challenger's off-policy value (<see cref="OffPolicy"/>) must also not be worse than the champion's
/// by more than the tolerance.
/// </summary>
public static class PromotionPolicy
{
    public const string SesDimension = "SES band";

    public static PromotionDecision Decide(RankerResult champion, RankerResult challenger, double tolerance,
        (OffPolicyEstimate Champion, OffPolicyEstimate Challenger)? offPolicy = null)
    {
        var changes = challenger.Subgroups
            .Join(champion.Subgroups, c => (c.Dimension, c.Group), p => (p.Dimension, p.Group),
                (c, p) => new SubgroupChange(c.Dimension, c.Group, p.Metrics.Ndcg5, c.Metrics.Ndcg5))
            .ToList();
        var championGap = champion.LargestGap.GetValueOrDefault(SesDimension);
        var challengerGap = challenger.LargestGap.GetValueOrDefault(SesDimension);

        var problems = new List<string>();
        if (challenger.Overall.Ndcg5 < champion.Overall.Ndcg5 - tolerance)
            problems.Add($"nDCG@5 fell from {champion.Overall.Ndcg5:F3} to {challenger.Overall.Ndcg5:F3} (tolerance {tolerance:F3})");
        if (challengerGap > championGap + tolerance)
            problems.Add($"the gap between socio-economic groups grew from {championGap:F3} to {challengerGap:F3}");
        foreach (var drop in changes.Where(c => c.Change < -tolerance))
            problems.Add($"{drop.Dimension} '{drop.Group}' dropped from {drop.Champion:F3} to {drop.Challenger:F3}");
        if (offPolicy is { } ope && ope.Challenger.Value < ope.Champion.Value - tolerance)
            problems.Add($"the off-policy value on served lists fell from {ope.Champion.Value:F3} to {ope.Challenger.Value:F3}");

        var reason = problems.Count == 0
            ? $"promoted: nDCG@5 {champion.Overall.Ndcg5:F3} → {challenger.Overall.Ndcg5:F3}, SES gap {championGap:F3} → {challengerGap:F3}, no subgroup dropped more than {tolerance:F3}"
            : "rejected: " + string.Join("; ", problems);
        if (offPolicy is { } value && problems.Count == 0)
            reason += $", off-policy value {value.Champion.Value:F3} → {value.Challenger.Value:F3}";
        return new PromotionDecision(problems.Count == 0, reason, champion.Overall.Ndcg5, challenger.Overall.Ndcg5, championGap, challengerGap, changes)
        {
            DecidedBy = offPolicy is null ? "nDCG@5 and subgroups" : "nDCG@5, subgroups and off-policy value on served lists",
            ChampionOffPolicyValue = offPolicy?.Champion.Value,
            ChallengerOffPolicyValue = offPolicy?.Challenger.Value,
        };
    }
}
